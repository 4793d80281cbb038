/** The catalogue of event types and sub types. Later issues add theirs here. */
export const EVENT = {
  adminSignIn: { type: 'Authentication', subType: 'Admin Sign-In' },
  userSignIn: { type: 'Authentication', subType: 'User Sign-In' },
  signOut: { type: 'Authentication', subType: 'Sign-Out' },
  ssoSignIn: { type: 'Authentication', subType: 'SSO Sign-In' },
  ssoActivated: { type: 'User', subType: 'Activated by SSO' },
  ssoUserCreated: { type: 'User', subType: 'Created by SSO' },
  ssoSettingsChanged: { type: 'Settings', subType: 'SSO Changed' },
  adminCreated: { type: 'Admin', subType: 'Created' },
  adminUpdated: { type: 'Admin', subType: 'Updated' },
  setupLinkIssued: { type: 'Admin', subType: 'Setup Link Issued' },
  setupCompleted: { type: 'Admin', subType: 'Setup Completed' },

  userCreated: { type: 'User', subType: 'Created' },
  userUpdated: { type: 'User', subType: 'Updated' },
  userDeleted: { type: 'User', subType: 'Deleted' },
  userDisabled: { type: 'User', subType: 'Disabled' },
  userEnabled: { type: 'User', subType: 'Enabled' },
  userActivated: { type: 'User', subType: 'Activated' },

  invitationSent: { type: 'Invitation', subType: 'Sent' },
  invitationResent: { type: 'Invitation', subType: 'Resent' },
  invitationAccepted: { type: 'Invitation', subType: 'Accepted' },
  invitationExpired: { type: 'Invitation', subType: 'Expired' },
  invitationFailed: { type: 'Invitation', subType: 'Delivery Failed' },

  passwordChanged: { type: 'Password', subType: 'Changed' },
  passwordReset: { type: 'Password', subType: 'Reset by Admin' },
  passwordResetRequested: { type: 'Password', subType: 'Reset Requested' },
  passwordResetCompleted: { type: 'Password', subType: 'Reset Completed' },

  settingsChanged: { type: 'Settings', subType: 'Changed' },

  codeGenerated: { type: 'Registration Code', subType: 'Generated' },
  codeUsed: { type: 'Registration Code', subType: 'Used' },
  codeRevoked: { type: 'Registration Code', subType: 'Revoked' },
  codeExpired: { type: 'Registration Code', subType: 'Expired' },
  codeRedeemFailed: { type: 'Registration Code', subType: 'Redemption Failed' },
  deviceRegistered: { type: 'Device', subType: 'Registered' },
  deviceRevoked: { type: 'Device', subType: 'Revoked' },

  mfaEnrolled: { type: 'MFA', subType: 'Enrolled' },
  mfaChallengeSent: { type: 'MFA', subType: 'Challenge Sent' },
  mfaChallengePassed: { type: 'MFA', subType: 'Challenge Passed' },
  mfaChallengeFailed: { type: 'MFA', subType: 'Challenge Failed' },
  mfaLocked: { type: 'MFA', subType: 'Locked' },
  mfaUnlocked: { type: 'MFA', subType: 'Unlocked' },
  mfaPhoneChanged: { type: 'MFA', subType: 'Phone Changed' },
  mfaFactorRemoved: { type: 'MFA', subType: 'Factor Removed' },
  mfaReset: { type: 'MFA', subType: 'Reset by Admin' },
  mfaTrustedDeviceAdded: { type: 'MFA', subType: 'Trusted Device Added' },
  mfaTrustedDeviceForgotten: { type: 'MFA', subType: 'Trusted Device Forgotten' },
  smsSendFailed: { type: 'SMS', subType: 'Send Failed' },
  smsDeliveryStatus: { type: 'SMS', subType: 'Delivery Status' },

  jobFailed: { type: 'System', subType: 'Job Failed' },
  eventsPruned: { type: 'System', subType: 'Events Pruned' },
  eventsExported: { type: 'System', subType: 'Events Exported' },

  directorySyncStarted: { type: 'Directory Sync', subType: 'Started' },
  directorySyncFinished: { type: 'Directory Sync', subType: 'Finished' },
  directorySyncFailed: { type: 'Directory Sync', subType: 'Failed' },
  directorySyncSafetyStop: { type: 'Directory Sync', subType: 'Aborted by Safety Limit' },
  directorySyncAppliedAnyway: { type: 'Directory Sync', subType: 'Applied Anyway' },
  directorySettingsChanged: { type: 'Directory Sync', subType: 'Settings Changed' },
} as const;

export type EventKind = (typeof EVENT)[keyof typeof EVENT];
