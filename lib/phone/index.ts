export { normalisePhone, canReceiveSms, maskPhone, PHONE_PROBLEMS, type NormalisedPhone, type PhoneStatus } from './normalise-phone';
