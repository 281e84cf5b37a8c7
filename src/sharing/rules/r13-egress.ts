// R13 Egress: the serialized bytes of what is about to leave are scanned again with R6's
// scanner; a hit withholds the object (and the caller raises an alert). Exported for the HTTP
// layer too, to scan whole response bodies.
import type { TextScanner } from '../ports.js';

export function hasEgressLeak(json: string, scanner: TextScanner): boolean {
  return scanner.containsProtected(json);
}
