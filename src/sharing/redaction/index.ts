// Public surface of the text redaction used by the sharing engine (R6, R7, R13).
export { collectScannable, createTextRedactor } from './redact-text.js';
export { bytesToText, decodeInPlace, expandForms, isReadableText } from './decode-forms.js';
export type { DecodedForm, ExpandedForms } from './decode-forms.js';
export type {
  RedactionEntity,
  RedactionRegistry,
  RedactionResult,
  RejectedTerm,
  ScanOptions,
  ScannableString,
  TermSource,
  TextHit,
  TextHitKind,
  TextRedactor,
  TextRedactorOptions,
} from './redact-text.js';
export { normalizeTerm, normalizeText } from './normalize-text.js';
export type { NormalizedText } from './normalize-text.js';
export {
  canonicalIp,
  cidrContains,
  createCidrMatcher,
  mapDomainToDocumentation,
  mapEmailToDocumentation,
  mapIpToDocumentation,
  mapToDocumentationSpace,
  letterLabel,
  parseCidr,
  parseIp,
} from './ip-ranges.js';
export type { Cidr, CidrMatcher, IpAddress, KeyedHash } from './ip-ranges.js';
export { isValidIranianNationalId } from './detectors.js';
export {
  decodePunycode,
  domainToAsciiLoose,
  domainToUnicodeLoose,
  encodePunycode,
} from './punycode.js';
