// The one error the pattern parser throws, for every malformed input.
import { StixgateError } from '../../errors.js';

/**
 * A pattern that is not valid STIX 2.1 patterning (syntax or a rule of §9).
 * `position` is the 0-based character offset (UTF-16 code unit) where the problem is.
 * The message reads like `expected ']' at 23, found 'AND'`.
 */
export class PatternSyntaxError extends StixgateError {
  readonly kind = 'unprocessable' as const;
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}
