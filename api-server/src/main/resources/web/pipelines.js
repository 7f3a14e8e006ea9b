// Pipelines: freshness, timeliness and anomaly state; one pipeline's execution history as a chart
// of rows and duration with anomalies marked; unflagging an anomaly; its anomaly rules.
import {api} from './api.js';
import {badge, clear, debounce, duration, errorBox, h, num, table, toast, when} from './dom.js';

const CONDITIONS = ['Fresh', 'Timely', 'AnomalyFree'];

function conditionBadge(c, type) {
  if (!c) return badge('unknown', 'unknown');
  return h('span', {title: c.message || c.reason || ''}, badge(c.status, c.status === 'True' ? type : c.reason || 'not ' + type));
}

export function render(main, params) {
  return params[0] ? detail(main, params[0]) : list(main);
}

function list(main) {
  const body = h('div', h('p.muted', 'Loading…'));
  main.append(h('h1', 'Pipelines'), body);
  const load = async () => {
    try {
      const pipes = await api.get('/api/pipelines');
      clear(body, table(['Pipeline', 'Connection', 'Freshness', 'Timeliness', 'Anomalies', 'Last execution', 'Rules'], pipes.map(p =>
        h('tr', {dataset: {pipeline: p.name}},
          h('td', h('a', {href: '#/pipelines/' + encodeURIComponent(p.name)}, p.display_name), p.active ? null : h('span.muted', ' (inactive)')),
          h('td', p.connection || '—'),
          ...CONDITIONS.map(t => h('td', conditionBadge(p.conditions[t], t))),
          h('td', p.last_execution ? [badge(p.last_execution.status), ' ', when(p.last_execution.end || p.last_execution.start)] : '—'),
          h('td.num', p.anomaly_rules.length))), 'Pipelines'));
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  load();
  return {onEvent: debounce(load, 500)};
}

function detail(main, name) {
  const path = '/api/pipelines/' + encodeURIComponent(name);
  const state = h('div');
  const canvas = h('canvas', {id: 'history-chart', role: 'img', 'aria-label': 'Execution history: rows and duration per execution, anomalies marked'});
  const chartBox = h('div.chart', canvas);
  const legend = h('p.muted', 'Rows (left axis) and duration (right axis) per execution, oldest on the left. ',
    h('span.anomaly-key', '▲'), ' marks an execution an anomaly rule flagged.');
  const executions = h('div');
  const rules = h('div');
  let chart = null;
  main.append(
    h('p.crumbs', h('a', {href: '#/pipelines'}, 'Pipelines'), ' / ', name),
    h('h1', name),
    state,
    h('section', {'aria-labelledby': 'hist-title'}, h('h2', {id: 'hist-title'}, 'Execution history'), chartBox, legend, executions),
    h('section', {'aria-labelledby': 'rules-title'}, h('h2', {id: 'rules-title'}, 'Anomaly rules'), rules));

  async function unflag(e) {
    try {
      await api.post(path + '/executions/' + e.id + '/unflag', {metrics: e.anomaly_flags});
      toast('Execution ' + e.id + ' unflagged: its values count in baselines again');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function drawChart(history) {
    const points = [...history].reverse();
    const labels = points.map(e => new Date(e.start).toISOString().slice(5, 16).replace('T', ' '));
    const flagged = e => e.anomaly_flags.length > 0;
    const rowsFlagged = e => e.anomaly_flags.some(m => m !== 'duration_seconds');
    const data = {
      labels,
      datasets: [
        {label: 'Rows', data: points.map(e => e.total_rows), yAxisID: 'rows', borderColor: '#2563eb', backgroundColor: '#2563eb', tension: 0.2,
          pointRadius: points.map(e => rowsFlagged(e) ? 9 : 3), pointStyle: points.map(e => rowsFlagged(e) ? 'triangle' : 'circle'),
          pointBackgroundColor: points.map(e => rowsFlagged(e) ? '#dc2626' : '#2563eb')},
        {label: 'Duration (s)', data: points.map(e => e.duration_seconds), yAxisID: 'duration', borderColor: '#9333ea', backgroundColor: '#9333ea', borderDash: [4, 3], tension: 0.2,
          pointRadius: points.map(e => e.anomaly_flags.includes('duration_seconds') ? 9 : 2),
          pointStyle: points.map(e => e.anomaly_flags.includes('duration_seconds') ? 'triangle' : 'circle'),
          pointBackgroundColor: points.map(e => e.anomaly_flags.includes('duration_seconds') ? '#dc2626' : '#9333ea')},
      ],
    };
    // Kept on the canvas so tests (and curious people) can see what is marked.
    canvas.dataset.anomalies = JSON.stringify(points.filter(flagged).map(e => e.id));
    if (!window.Chart) { clear(chartBox, errorBox('The chart library did not load')); return; }
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type: 'line',
      data,
      options: {
        animation: false, maintainAspectRatio: false, interaction: {mode: 'index', intersect: false},
        scales: {
          rows: {type: 'linear', position: 'left', title: {display: true, text: 'rows'}, beginAtZero: true},
          duration: {type: 'linear', position: 'right', title: {display: true, text: 'seconds'}, beginAtZero: true, grid: {drawOnChartArea: false}},
        },
        plugins: {tooltip: {callbacks: {footer: items => {
          const e = points[items[0].dataIndex];
          return flagged(e) ? 'Anomaly: ' + e.anomaly_flags.join(', ') : '';
        }}}},
      },
    });
  }

  async function load() {
    try {
      const [pipes, history] = await Promise.all([api.get('/api/pipelines'), api.get(path + '/executions?limit=200')]);
      const p = pipes.find(x => x.name === name);
      if (!p) { clear(state, errorBox('Pipeline ' + name + ' not found')); return; }
      clear(state, h('dl.facts',
        ...CONDITIONS.map(t => h('div', h('dt', t), h('dd', conditionBadge(p.conditions[t], t),
          p.conditions[t] && p.conditions[t].message ? h('div.muted.small', p.conditions[t].message) : null))),
        h('div', h('dt', 'Watermark'), h('dd', p.watermark || '—')),
        h('div', h('dt', 'Last insert'), h('dd', when(p.last_target_insert)))));
      drawChart(history);
      clear(executions, table(['Execution', 'Status', 'Started', 'Rows', 'Duration', 'Anomaly', ''], history.map(e => {
        const flagged = e.anomaly_flags.length > 0;
        const button = h('button.secondary.small', {type: 'button', 'aria-label': 'Unflag execution ' + e.id}, 'Unflag');
        button.addEventListener('click', () => unflag(e));
        return h('tr' + (flagged ? '.anomalous' : ''), {dataset: {execution: e.id}},
          h('td', e.id, e.job_id ? h('span.muted', ' (job ' + e.job_id + ')') : null),
          h('td', badge(e.status)),
          h('td', when(e.start)),
          h('td.num', num(e.total_rows)),
          h('td', duration(e.duration_seconds)),
          h('td', flagged ? e.anomalies.map(a => h('div', badge('failed', a.metric.replace(/_/g, ' ')), ` ${num(a.value)} (z ${a.z_score.toFixed(1)}, normal ${num(Math.round(a.lower_bound))}–${num(Math.round(a.upper_bound))})`)) : '—'),
          h('td', flagged ? button : null));
      }), 'Executions, newest first'));
      clear(rules, table(['Rule', 'Metric', 'z threshold', 'Lookback', 'Minimum executions', 'Active', 'Anomalies', 'Last evaluation'], p.anomaly_rules.map(r =>
        h('tr', h('td', r.name), h('td', r.metric), h('td.num', r.z_threshold), h('td', r.lookback_days + ' d'), h('td.num', r.minimum_executions),
          h('td', r.active ? 'yes' : 'no'), h('td.num', num(r.anomaly_count)),
          h('td', r.last_evaluation ? [badge(r.last_evaluation.anomalous ? 'failed' : 'success', r.last_evaluation.anomalous ? 'anomalous' : 'normal'), ' z ', r.last_evaluation.z === null ? '—' : Number(r.last_evaluation.z).toFixed(2)] : '—')))));
    } catch (e) {
      clear(state, errorBox(e));
    }
  }
  load();
  return {onEvent: debounce(load, 500), dispose() { if (chart) chart.destroy(); }};
}
