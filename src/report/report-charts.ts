/**
 * The report's charts, rendered to SVG when the page is built by Apache ECharts' server-side renderer (no
 * DOM, no browser): they show with JavaScript off, print well and diff as text.
 */
import * as echarts from 'echarts';

/** A series of values, one per category. */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly number[];
}

/** What a bar or line chart shows. */
export interface CategoryChart {
  readonly kind: 'bar' | 'line';
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Stack the series (free and paid plays per day, for example). */
  readonly stacked?: boolean;
  /** Bars drawn across, categories down (long names: songs, locations). */
  readonly horizontal?: boolean;
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = ['#3366aa', '#ee8833', '#55aa55', '#aa4455', '#7766bb', '#999933'];
const TEXT = { fontFamily: 'system-ui, sans-serif', fontSize: 12, color: '#333' };

/** Renders `option` to an SVG string of `width` x `height` pixels. */
function renderSvg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: TEXT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A bar or line chart as SVG. */
export function categoryChartSvg(chart: CategoryChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? (chart.horizontal ? Math.max(160, 28 * chart.categories.length + 60) : 280);
  const categoryAxis = {
    type: 'category',
    data: [...chart.categories],
    inverse: chart.horizontal === true,
    axisLabel: chart.horizontal ? { width: 260, overflow: 'truncate' } : { hideOverlap: true },
  };
  const valueAxis = { type: 'value', minInterval: 1 };
  return renderSvg(
    {
      grid: { left: chart.horizontal ? 280 : 50, right: 24, top: chart.series.length > 1 ? 36 : 16, bottom: 32 },
      legend: chart.series.length > 1 ? { top: 0, data: chart.series.map((series) => series.name) } : undefined,
      xAxis: chart.horizontal ? valueAxis : categoryAxis,
      yAxis: chart.horizontal ? categoryAxis : valueAxis,
      series: chart.series.map((series) => ({
        name: series.name,
        type: chart.kind,
        data: [...series.values],
        stack: chart.stacked ? 'total' : undefined,
        showSymbol: false,
        label: chart.horizontal ? { show: true, position: 'right' } : undefined,
      })),
    },
    width,
    height,
  );
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Plays by hour (columns, 0-23 UTC) and weekday (rows, 0 = Sunday) as an SVG heatmap. */
export function hourWeekdayHeatmapSvg(cells: readonly { weekday: number; hour: number; plays: number }[]): string {
  const max = Math.max(1, ...cells.map((cell) => cell.plays));
  return renderSvg(
    {
      grid: { left: 50, right: 24, top: 10, bottom: 70 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0')), splitArea: { show: true } },
      yAxis: { type: 'category', data: WEEKDAYS, inverse: true, splitArea: { show: true } },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#f4f7fb', '#3366aa'] },
      },
      series: [{ type: 'heatmap', data: cells.map((cell) => [cell.hour, cell.weekday, cell.plays]), label: { show: false } }],
    },
    760,
    300,
  );
}
