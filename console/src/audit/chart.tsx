// The deliveries chart, drawn as SVG here (no chart library): one pair of bars per time
// bucket, objects delivered and objects withheld.
import { niceMax, type Bucket } from './series.js';

const W = 720;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };

export function DeliveriesChart({ buckets, step }: { buckets: Bucket[]; step: number }) {
  if (buckets.length === 0) return <p class="muted">No partner reads in these records.</p>;
  const top = niceMax(Math.max(...buckets.map((b) => Math.max(b.delivered, b.withheld))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const bar = Math.max(1, Math.min(18, slot / 2 - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const label = (t: number) => {
    const iso = new Date(t).toISOString();
    return step >= 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
  };
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Objects delivered to partners and withheld, over time"
      data-chart="deliveries"
    >
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line
            class="grid-line"
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(top * f)}
            y2={y(top * f)}
          />
          <text class="axis" x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">
            {Math.round(top * f)}
          </text>
        </g>
      ))}
      {buckets.map((b, i) => {
        const x = PAD.left + i * slot + slot / 2;
        return (
          <g key={b.start} data-bucket={new Date(b.start).toISOString()}>
            <rect
              class="bar-delivered"
              x={x - bar}
              y={y(b.delivered)}
              width={bar}
              height={plotH + PAD.top - y(b.delivered)}
            >
              <title>{`${new Date(b.start).toISOString()}: ${b.delivered} delivered in ${b.reads} read(s)`}</title>
            </rect>
            <rect
              class="bar-withheld"
              x={x}
              y={y(b.withheld)}
              width={bar}
              height={plotH + PAD.top - y(b.withheld)}
            >
              <title>{`${new Date(b.start).toISOString()}: ${b.withheld} withheld`}</title>
            </rect>
            {i % every === 0 && (
              <text class="axis" x={x} y={H - PAD.bottom + 16} text-anchor="middle">
                {label(b.start)}
              </text>
            )}
          </g>
        );
      })}
      <g class="legend">
        <rect class="bar-delivered" x={PAD.left} y={H - 12} width={10} height={10} />
        <text class="axis" x={PAD.left + 14} y={H - 3}>
          delivered
        </text>
        <rect class="bar-withheld" x={PAD.left + 90} y={H - 12} width={10} height={10} />
        <text class="axis" x={PAD.left + 104} y={H - 3}>
          withheld
        </text>
      </g>
    </svg>
  );
}
