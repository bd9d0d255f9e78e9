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

export class AudienceError extends Error {
  override name = 'AudienceError';
  readonly code: AudienceErrorCode;
  readonly problems: RuleProblem[];

  constructor(code: AudienceErrorCode, message: string, problems: RuleProblem[] = []) {
    super(message);
    this.code = code;
    this.problems = problems;
  }
}
