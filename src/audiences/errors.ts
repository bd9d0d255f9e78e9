import { AppError, type AppErrorCode } from '../errors.ts';

/** One thing wrong with a rule: where (e.g. `all[1].value`, or `rule` for the whole) and why. */
export interface RuleProblem {
  path: string;
  message: string;
}

/**
 * What the caller does next: invalid_rule and invalid_input mean fix the request and resend
 * it, name_taken means pick another name, not_found means check the id or name.
 */
export type AudienceErrorCode = 'invalid_rule' | 'invalid_input' | 'name_taken' | 'not_found';

const APP_CODES: Record<AudienceErrorCode, AppErrorCode> = {
  invalid_rule: 'invalid_input',
  invalid_input: 'invalid_input',
  name_taken: 'conflict',
  not_found: 'not_found',
};

/** An AppError (so every caller maps it like any other) that keeps the audience's own reason. */
export class AudienceError extends AppError {
  override name = 'AudienceError';
  readonly reason: AudienceErrorCode;
  readonly problems: RuleProblem[];

  constructor(reason: AudienceErrorCode, message: string, problems: RuleProblem[] = []) {
    const field = reason === 'invalid_rule' ? `rule${problems[0] ? `.${problems[0].path}` : ''}` : reason === 'name_taken' ? 'name' : undefined;
    super(APP_CODES[reason], message, { field });
    this.reason = reason;
    this.problems = problems;
  }
}
