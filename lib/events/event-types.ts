/** The catalogue of event types and sub types. Later issues add theirs here. */
export const EVENT = {
  adminSignIn: { type: 'Authentication', subType: 'Admin Sign-In' },
  userSignIn: { type: 'Authentication', subType: 'User Sign-In' },
  signOut: { type: 'Authentication', subType: 'Sign-Out' },
  adminCreated: { type: 'Admin', subType: 'Created' },
  adminUpdated: { type: 'Admin', subType: 'Updated' },
  setupLinkIssued: { type: 'Admin', subType: 'Setup Link Issued' },
  setupCompleted: { type: 'Admin', subType: 'Setup Completed' },
} as const;

export type EventKind = (typeof EVENT)[keyof typeof EVENT];
