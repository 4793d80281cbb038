import 'server-only';
export { createInvitation, type InvitationOptions } from './create-invitation';
export { deliverInvitation, activationLink, type DeliveryResult } from './deliver-invitation';
export { inviteUser } from './invite-user';
export { getInvitationState, type InvitationState } from './get-invitation-state';
export { sendAccountNotice } from './send-account-notice';
export type { AccountNoticeKind } from './account-notice-email';
export { inspectInvitation, activateAccount, type ActivationLink, type ActivationResult } from './activate-account';
export { sweepExpiredInvitations } from './sweep-expired-invitations';
