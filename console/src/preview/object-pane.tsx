// One object rendered as indented JSON, with each change marked where it happened: the
// property line carries the rule and the kind of change, and a string that differs between
// original and derived shows each redacted or replaced span highlighted in place.
import type { ComponentChildren } from 'preact';
import type { StixObject } from '../types.js';
import { KIND_LABELS, type LabelledChange } from './changes.js';
import { diffText, spanKind } from './text-diff.js';

export type Side = 'original' | 'derived';

interface PaneProps {
  side: Side;
  object: StixObject;
  /** The other side, for in-string differences (absent for a withheld object). */
  other?: StixObject;
  changes: readonly LabelledChange[];
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}.[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The value at a preview path (`a.[1].b`), or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  let node: unknown = root;
  for (const part of path.split('.')) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) node = Array.isArray(node) ? node[Number(index[1])] : undefined;
    else
      node =
        typeof node === 'object' && node !== null && !Array.isArray(node)
          ? (node as Record<string, unknown>)[part]
          : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

export function ObjectPane({ side, object, other, changes }: PaneProps) {
  const byPath = new Map<string, LabelledChange[]>();
  for (const c of changes) {
    if (c.kind === 'kept') continue;
    byPath.set(c.path, [...(byPath.get(c.path) ?? []), c]);
  }
  return (
    <pre class={`pane pane-${side}`} data-side={side}>
      <Value side={side} value={object} path="" byPath={byPath} other={other} depth={0} />
    </pre>
  );
}

interface ValueProps {
  side: Side;
  value: unknown;
  path: string;
  byPath: Map<string, LabelledChange[]>;
  other: StixObject | undefined;
  depth: number;
}

function Value({ side, value, path, byPath, other, depth }: ValueProps): ComponentChildren {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (
      <>
        {'['}
        {value.map((item, i) => (
          <Line key={i} side={side} path={childPath(path, i)} byPath={byPath} depth={depth + 1}>
            <Value
              side={side}
              value={item}
              path={childPath(path, i)}
              byPath={byPath}
              other={other}
              depth={depth + 1}
            />
            {i < value.length - 1 ? ',' : ''}
          </Line>
        ))}
        {indent(depth)}
        {']'}
      </>
    );
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return (
      <>
        {'{'}
        {entries.map(([key, item], i) => (
          <Line key={key} side={side} path={childPath(path, key)} byPath={byPath} depth={depth + 1}>
            <span class="key">{JSON.stringify(key)}</span>
            {': '}
            <Value
              side={side}
              value={item}
              path={childPath(path, key)}
              byPath={byPath}
              other={other}
              depth={depth + 1}
            />
            {i < entries.length - 1 ? ',' : ''}
          </Line>
        ))}
        {indent(depth)}
        {'}'}
      </>
    );
  }
  if (typeof value === 'string')
    return <StringValue side={side} value={value} path={path} byPath={byPath} other={other} />;
  return <span class="scalar">{JSON.stringify(value)}</span>;
}

function StringValue(props: {
  side: Side;
  value: string;
  path: string;
  byPath: Map<string, LabelledChange[]>;
  other: StixObject | undefined;
}) {
  const { side, value, path, byPath, other } = props;
  const counterpart = other === undefined ? undefined : valueAt(other, path);
  const change = byPath.get(path)?.[0];
  if (typeof counterpart === 'string' && counterpart !== value) {
    const diff =
      side === 'original'
        ? diffText(value, counterpart).original
        : diffText(counterpart, value).derived;
    return (
      <span class="str" dir="auto">
        {'"'}
        {diff.map((s, i) =>
          s.changed ? (
            <mark
              key={i}
              class={`span span-${side === 'original' ? 'removed' : spanKind(s.text)}`}
              data-kind={side === 'original' ? (change?.kind ?? 'redacted') : spanKind(s.text)}
              data-rule={change?.rule ?? ''}
              dir="auto"
              title={change ? `${change.rule} ${KIND_LABELS[change.kind]}` : 'changed'}
            >
              {escapeJson(s.text)}
            </mark>
          ) : (
            <span key={i}>{escapeJson(s.text)}</span>
          ),
        )}
        {'"'}
      </span>
    );
  }
  return (
    <span class="str" dir="auto">
      {JSON.stringify(value)}
    </span>
  );
}

function Line(props: {
  side: Side;
  path: string;
  byPath: Map<string, LabelledChange[]>;
  depth: number;
  children: ComponentChildren;
}) {
  const changes = props.byPath.get(props.path) ?? [];
  const first = changes[0];
  return (
    <div
      class={first ? `line chg chg-${first.kind}` : 'line'}
      data-path={props.path}
      {...(first && { 'data-kind': first.kind, 'data-rule': first.rule })}
    >
      {indent(props.depth)}
      {props.children}
      {changes.map((c, i) => (
        <span key={i} class={`badge badge-${c.kind}`} data-kind={c.kind} data-rule={c.rule}>
          {c.rule} {KIND_LABELS[c.kind]}
        </span>
      ))}
    </div>
  );
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}

/** A piece of a JSON string as it reads inside quotes. */
function escapeJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
