// Language tags (STIX 2.1 §3.2 `lang`, §7.1 language-content `contents` keys): RFC 5646.
import { pointer } from '../issues.js';
import { isRecord, type RuleContext } from './context.js';

// RFC 5646 langtag in its common shape (language[-script][-region][-variant…][-extension…]),
// or a private-use / grandfathered tag. Case-insensitive.
const LANGUAGE_TAG =
  /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$|^x(?:-[a-z\d]{1,8})+$|^i-[a-z]{2,8}$/i;

export function isLanguageTag(tag: string): boolean {
  return tag.length <= 100 && LANGUAGE_TAG.test(tag);
}

export function checkLang(ctx: RuleContext): void {
  const lang = ctx.object['lang'];
  if (typeof lang === 'string' && !isLanguageTag(lang)) {
    ctx.issues.error(
      'lang-invalid',
      pointer('lang'),
      'property lang: must be an RFC 5646 language tag',
    );
  }
  const markings = ctx.object['granular_markings'];
  if (Array.isArray(markings)) {
    markings.forEach((m, i) => {
      if (isRecord(m) && typeof m['lang'] === 'string' && !isLanguageTag(m['lang'])) {
        ctx.issues.error(
          'lang-invalid',
          pointer('granular_markings', i, 'lang'),
          `property granular_markings/${i}/lang: must be an RFC 5646 language tag`,
        );
      }
    });
  }
  if (ctx.type === 'language-content' && isRecord(ctx.object['contents'])) {
    for (const key of Object.keys(ctx.object['contents'])) {
      if (!isLanguageTag(key)) {
        ctx.issues.error(
          'lang-invalid',
          pointer('contents', key),
          `property contents/${key}: keys must be RFC 5646 language tags`,
        );
      }
    }
  }
}
