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
  if (ctx.type === 'url') checkUrlValue(ctx, ctx.object['value'], isRfc3986Uri);
}

/**
 * STIX 2.1 §6.15.1: the value of a url SCO MUST conform to RFC 3986. Strict mode refuses
 * anything else. Permissive mode keeps it with a warning: MISP exports its `url` attributes
 * verbatim as url SCOs, and observed malicious URLs (unencoded spaces, raw non-ASCII, missing
 * schemes) are the evidence itself.
 */
function checkUrlValue(ctx: RuleContext, value: unknown, isRfc3986Uri: UriCheck): void {
  if (typeof value !== 'string' || isRfc3986Uri(value)) return;
  ctx.issues.strictError(
    ctx.mode,
    'url-value-not-rfc3986',
    '/value',
    'property value: a url value must be an RFC 3986 URI (STIX 2.1 §6.15.1)',
  );
}
