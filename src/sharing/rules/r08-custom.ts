// R8 Custom content: custom object types are withheld and custom properties (`x_*`, or any
// top-level property STIX 2.1 does not define for the type) and extensions other than the
// predefined SCO extensions are dropped, unless the policy allow-lists them. What is kept
// still goes through R6.
import { PREDEFINED_EXTENSIONS, isStandardType, knownProperties } from '../stix-properties.js';
import { Withhold, isObject, type Env, type Work } from '../work.js';

export function applyCustomType(work: Work, env: Env): void {
  if (!isStandardType(work.type) && !env.policy.allowedCustomTypes.includes(work.type)) {
    throw new Withhold('R8', 'custom object type not allow-listed');
  }
  if (
    work.type === 'extension-definition' &&
    !env.policy.allowedExtensions.includes(work.originalId)
  ) {
    throw new Withhold('R8', 'extension-definition not allow-listed');
  }
}

/** `alsoAllowed`: extension keys kept whatever the policy says (the TLP 2.0 extension on TLP markings). */
export function applyCustomContent(
  work: Work,
  env: Env,
  alsoAllowed: readonly string[] = [],
): void {
  const known = knownProperties(work.type);
  const allowed = env.policy.allowedCustomProperties;
  for (const key of Object.keys(work.obj)) {
    const custom = known === undefined ? key.startsWith('x_') : !known.has(key);
    if (custom && !allowed.includes(key)) work.drop('R8', [key]);
  }
  if (work.type === 'observed-data' && work.obj.objects !== undefined) {
    // STIX 2.1 §4.13: `objects` is deprecated; its embedded observables cannot be derived one
    // by one (R7 ids, R10 references), so they never leave. Without object_refs, R10 withholds.
    work.drop('R8', ['objects']);
  }
  const extensions = work.obj.extensions;
  if (extensions === undefined) return;
  if (!isObject(extensions)) throw new Withhold('R8', 'malformed extensions');
  for (const name of Object.keys(extensions)) {
    if (
      PREDEFINED_EXTENSIONS.has(name) ||
      env.policy.allowedExtensions.includes(name) ||
      alsoAllowed.includes(name)
    )
      continue;
    work.drop('R8', ['extensions', name]);
  }
  if (Object.keys(extensions).length === 0) work.drop('R8', ['extensions']);
}
