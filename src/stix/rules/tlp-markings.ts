// TLP marking-definitions (STIX 2.1 §7.2.1.4 and the TLP 2.0 extension-definition): the
// published ones "MUST be used"; "other instances of tlp-marking MUST NOT be used or created".
// A marking-definition with a published TLP id must therefore carry the published content,
// and a TLP definition must use a published id.
import { pointer } from '../issues.js';
import { TLP2_EXTENSION_ID, tlpMarkingById } from '../tlp.js';
import { isRecord, type RuleContext } from './context.js';
import { parseStixTimestamp } from '../timestamp.js';

export function checkTlpMarkings(ctx: RuleContext): void {
  if (ctx.type !== 'marking-definition') return;
  const o = ctx.object;
  const id = typeof o['id'] === 'string' ? o['id'] : '';
  const published = tlpMarkingById(id);
  const definition = isRecord(o['definition']) ? o['definition'] : undefined;
  const extensions = isRecord(o['extensions']) ? o['extensions'] : undefined;
  const tlp2 =
    extensions !== undefined && isRecord(extensions[TLP2_EXTENSION_ID])
      ? extensions[TLP2_EXTENSION_ID]
      : undefined;
  const isTlp1 = o['definition_type'] === 'tlp';

  if (published === undefined) {
    if (isTlp1 || tlp2 !== undefined) {
      ctx.issues.error(
        'tlp-marking-unpublished',
        pointer('id'),
        'property id: a TLP marking-definition must use the id of a published TLP marking',
      );
    }
    return;
  }
  const mismatch = (property: string, what: string): void => {
    ctx.issues.error(
      'tlp-marking-mismatch',
      pointer(property),
      `property ${property}: differs from the published ${published.name} (TLP ${published.version}.0) marking ${what}`,
    );
  };
  // A different name or created date is cosmetic (the id decides the level everywhere in
  // stixgate): refused in strict mode, a warning in permissive mode. A different level is
  // always refused: the object would say one TLP and mean another.
  const cosmetic = (property: string, what: string): void => {
    ctx.issues.strictError(
      ctx.mode,
      'tlp-marking-mismatch',
      pointer(property),
      `property ${property}: differs from the published ${published.name} (TLP ${published.version}.0) marking ${what}`,
    );
  };
  // The same instant written with more fractional digits is the same timestamp (§3.2).
  const created = typeof o['created'] === 'string' ? parseStixTimestamp(o['created']) : undefined;
  if (created === undefined || created !== parseStixTimestamp(published.created))
    cosmetic('created', `(created ${published.created})`);
  if (o['name'] !== undefined && o['name'] !== published.name)
    cosmetic('name', `(name "${published.name}")`);
  if (published.version === 1) {
    if (!isTlp1) mismatch('definition_type', '(definition_type "tlp")');
    else if (definition?.['tlp'] !== published.value)
      mismatch('definition', `(definition.tlp "${published.value}")`);
  } else {
    // The TLP 2.0 markings are defined by their extension; `definition_type`/`definition` are
    // absent in the published objects (see tlp-amber.json in the corpus).
    if (tlp2 === undefined) mismatch('extensions', `(extension ${TLP2_EXTENSION_ID})`);
    else if (tlp2['tlp_2_0'] !== published.value)
      mismatch(`extensions/${TLP2_EXTENSION_ID}/tlp_2_0`, `(tlp_2_0 "${published.value}")`);
    if (o['definition_type'] !== undefined) mismatch('definition_type', '(no definition_type)');
  }
}
