import { AegisError } from '@aegis/contracts';

/** Errors of sign-in, sessions, API keys, users and rate limits; the filter maps their codes to statuses. */
export class AuthException extends AegisError {}
