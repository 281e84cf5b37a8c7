// URLs of external references (STIX 2.1 §2.5) and artifacts (§6.1) "MUST be a valid URL"
// [RFC 3986]. Real reports cite URLs with spaces, non-ASCII characters or brackets that only
// browsers' (WHATWG) parsing accepts: strict mode demands RFC 3986; permissive mode accepts
// what a WHATWG URL parser accepts, with a warning.
import { pointer } from '../issues.js';
import { isRecord, type RuleContext } from './context.js';

export type UriCheck = (value: string) => boolean;

function checkUrl(
  ctx: RuleContext,
  value: unknown,
  isRfc3986Uri: UriCheck,
  ...where: (string | number)[]
): void {
  if (typeof value !== 'string' || isRfc3986Uri(value)) return;
  const path = pointer(...where);
  const name = where.join('/');
  if (ctx.mode === 'permissive' && URL.canParse(value)) {
    ctx.issues.warn(
      'url-not-rfc3986',
      path,
      `property ${name}: not an RFC 3986 URI (accepted as a WHATWG URL)`,
    );
    return;
  }
  ctx.issues.error('url-invalid', path, `property ${name}: must be a valid URL (RFC 3986)`);
}

export function checkUrls(ctx: RuleContext, isRfc3986Uri: UriCheck): void {
  const refs = ctx.object['external_references'];
  if (Array.isArray(refs)) {
    refs.forEach((ref, i) => {
      if (isRecord(ref)) checkUrl(ctx, ref['url'], isRfc3986Uri, 'external_references', i, 'url');
    });
  }
  if (ctx.type === 'artifact') checkUrl(ctx, ctx.object['url'], isRfc3986Uri, 'url');
}
