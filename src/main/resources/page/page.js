// Caravan's operator page: polls the JSON API and draws it. No framework, no build step; uPlot draws the plot.
// Keys typed here live in this tab's memory only: never in storage, never in the address.
'use strict';

const REFRESH_MS = 2000;
const JOBS_LIMIT = 20;
let apiKey = '';
let adminToken = '';
let plot = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells, className) {
  const tr = el('tr', null, className);
  for (const cell of cells) tr.appendChild(cell instanceof Node ? cell : el('td', cell));
  return tr;
}

function ms(value) {
  if (value === null || value === undefined) return '–';
  return value >= 1000 ? (value / 1000).toFixed(1) + ' s' : Math.round(value) + ' ms';
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '–';
}

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** A JSON call with the tab's API key (or admin token for /admin); rejects with HttpError on a non-2xx answer. */
async function call(path, options = {}) {
  const token = path.startsWith('/admin/') ? adminToken : apiKey;
  const headers = Object.assign({}, options.headers || {});
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/admin/')) $('api-key-form').hidden = false;
    throw new HttpError(response.status, (body && body.error) || ('HTTP ' + response.status));
  }
  return body;
}

function showProblem(error) {
  $('problem').hidden = !error;
  $('problem').textContent = error ? error.message : '';
}

// ---- queue, throughput, verdicts, latency ----

function drawThroughput(series) {
  const times = series.completed.map((_, i) => series.start + i * series.bucket_seconds);
  const data = [times, series.completed, series.failed];
  if (!plot) {
    const width = Math.max(300, $('throughput-plot').clientWidth);
    plot = new uPlot({
      width, height: 180,
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      series: [{}, { label: 'completed/s', stroke: '#1f7a3d', width: 2 },
        { label: 'failed/s', stroke: '#b3261e', width: 2 }],
      axes: [{}, { label: 'jobs/s' }],
    }, data, $('throughput-plot'));
  } else {
    plot.setData(data);
  }
}

function drawVerdicts(verdicts) {
  const languages = Object.keys(verdicts);
  const names = [...new Set(languages.flatMap((l) => Object.keys(verdicts[l])))].sort();
  const head = $('verdicts').tHead;
  const body = $('verdicts').tBodies[0];
  head.replaceChildren(row([el('th', 'language'), ...names.map((n) => el('th', n, 'verdict-' + n))]));
  body.replaceChildren(...languages.map((l) => row([l, ...names.map((n) => verdicts[l][n] || 0)])));
  $('verdicts-empty').hidden = languages.length > 0;
  $('verdicts').hidden = languages.length === 0;
}

async function refreshOverview() {
  const overview = await call('/api/overview');
  $('queue-depth').textContent = overview.queue.depth ?? '?';
  $('queue-consumers').textContent = overview.queue.consumers ?? '?';
  $('processing-p50').textContent = ms(overview.processing.p50_ms);
  $('processing-p95').textContent = ms(overview.processing.p95_ms);
  $('queue-wait-p50').textContent = ms(overview.queue_wait.p50_ms);
  $('queue-wait-p95').textContent = ms(overview.queue_wait.p95_ms);
  drawThroughput(overview.throughput);
  drawVerdicts(overview.verdicts);
}

// ---- workers ----

async function refreshWorkers() {
  const workers = await call('/api/workers');
  $('workers').tBodies[0].replaceChildren(...workers.map((w) => {
    const state = !w.reporting ? 'not reporting' : (w.in_flight > 0 ? `busy ${w.in_flight}/${w.cpu_slots}` : 'idle');
    const stateClass = !w.reporting ? 'state-silent' : (w.in_flight > 0 ? 'state-busy' : 'state-idle');
    const tr = row([w.worker, w.host, w.pid, `${w.cpu_slots}/${w.gpu_slots}`, el('td', state, stateClass),
      w.completed, w.failed, ms(w.avg_processing_ms), `${time(w.last_seen)} (${Math.round(w.silent_ms / 1000)} s ago)`],
      w.reporting ? 'worker' : 'worker silent');
    tr.dataset.worker = w.worker;
    tr.dataset.pid = w.pid;
    tr.title = w.status_line;
    return tr;
  }));
  $('workers-empty').hidden = workers.length > 0;
  $('workers').hidden = workers.length === 0;
}

// ---- recent jobs (GET /jobs?limit=N and GET /jobs/{id}, from the job records) ----

function jobVerdict(job) {
  return job.result && job.result.status ? job.result.status : '';
}

async function refreshJobs() {
  let answer;
  try {
    answer = await call('/jobs?limit=' + JOBS_LIMIT);
  } catch (error) {
    if (error.status === 404 || error.status === 405) {
      $('jobs-disabled').hidden = false;
      $('jobs').hidden = true;
      return;
    }
    throw error;
  }
  $('jobs-disabled').hidden = true;
  $('jobs').hidden = false;
  const jobs = Array.isArray(answer) ? answer : (answer && answer.jobs) || [];
  $('jobs').tBodies[0].replaceChildren(...jobs.filter((j) => j).map((job) => {
    const verdict = jobVerdict(job);
    const tr = row([job.id, job.status, job.language, el('td', verdict, 'verdict-' + verdict),
      time(job.submitted_at), time(job.finished_at)], 'clickable');
    tr.addEventListener('click', () => openJob(job.id).catch(showProblem));
    return tr;
  }));
}

async function openJob(id) {
  const job = await call('/jobs/' + encodeURIComponent(id));
  const detail = $('job-detail');
  detail.replaceChildren(el('h3', `Job ${job.id}: ${job.status} ${jobVerdict(job)}`),
    el('p', `attempts ${job.attempts ?? '–'}, worker ${job.worker ?? '–'}, started ${time(job.started_at)}`, 'muted'),
    testsTable(job.result ? job.result.tests || [] : []));
  detail.hidden = false;
}

function testsTable(tests) {
  const table = el('table');
  table.appendChild(row(['#', 'verdict', 'stdout', 'stderr', 'time', 'memory'].map((h) => el('th', h))));
  tests.forEach((t, i) => table.appendChild(testRow(t, i)));
  return table;
}

function testRow(test, index) {
  return row([index + 1, el('td', test.status, 'verdict-' + test.status), el('td', test.stdout, 'text'),
    el('td', test.stderr, 'text'), ms(test.wall_time_ms), (test.memory_kb ?? '–') + ' KB']);
}

// ---- dead letters (the /admin endpoints, with the admin token typed here) ----

async function refreshDeadLetters() {
  const letters = await call('/admin/dead-letters?limit=100');
  $('dead-letters').tBodies[0].replaceChildren(...letters.map((letter) => {
    const replay = el('button', 'Replay');
    replay.addEventListener('click', () => deadLetterAction(`/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`, 'POST'));
    const tr = row([letter.id, el('td', letter.reason, 'text'), letter.attempts ?? '–', letter.worker ?? '–',
      time(letter.first_dead_lettered_at), time(letter.last_dead_lettered_at), el('td')]);
    tr.lastChild.appendChild(replay);
    tr.dataset.id = letter.id;
    tr.title = letter.exception || '';
    return tr;
  }));
  $('dead-letters-message').textContent = letters.length + ' parked';
}

async function deadLetterAction(path, method) {
  try {
    const answer = await call(path, { method });
    await refreshDeadLetters();
    $('dead-letters-message').textContent = 'replayed' in answer ? `replayed ${answer.replayed}` : `purged ${answer.purged}`;
  } catch (error) {
    $('dead-letters-message').textContent = error.message;
  }
}

// ---- playground ----

function addTestInput(input = '', expected = '') {
  const box = el('div', null, 'test-input');
  const stdin = el('textarea'); stdin.placeholder = 'input'; stdin.rows = 2; stdin.value = input; stdin.className = 'play-input';
  const out = el('textarea'); out.placeholder = 'expected output (optional)'; out.rows = 2; out.value = expected;
  out.className = 'play-expected';
  const remove = el('button', '×'); remove.type = 'button';
  remove.addEventListener('click', () => box.remove());
  box.append(stdin, out, remove);
  $('play-tests-input').appendChild(box);
}

async function loadLanguages() {
  const languages = await call('/languages');
  $('play-language').replaceChildren(...languages.map((l) => {
    const option = el('option', `${l.name} ${l.version || ''}`.trim());
    option.value = l.id;
    return option;
  }));
  if (languages.some((l) => l.id === 'python')) $('play-language').value = 'python';
}

async function runPlayground(event) {
  event.preventDefault();
  const tests = [...document.querySelectorAll('#play-tests-input .test-input')].map((box) => {
    const expected = box.querySelector('.play-expected').value;
    return { input: box.querySelector('.play-input').value, expected_output: expected === '' ? null : expected };
  });
  const request = { language: $('play-language').value, code: $('play-code').value };
  if (tests.length) request.tests = tests;
  $('play-verdict').textContent = 'running…';
  $('play-verdict').className = '';
  $('play-tests').tBodies[0].replaceChildren();
  try {
    const result = await call('/execute', { method: 'POST', body: JSON.stringify(request) });
    $('play-verdict').textContent = result.status + (result.compile && result.compile.output ? ' — ' + result.compile.output : '');
    $('play-verdict').className = 'verdict-' + result.status;
    $('play-tests').tBodies[0].replaceChildren(...(result.tests || []).map(testRow));
  } catch (error) {
    $('play-verdict').textContent = error.message;
    $('play-verdict').className = 'problem';
  }
}

// ---- wiring ----

async function refresh() {
  try {
    await Promise.all([refreshOverview(), refreshWorkers(), refreshJobs()]);
    $('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
    showProblem(null);
  } catch (error) {
    showProblem(error);
  }
}

$('api-key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  apiKey = $('api-key').value;
  $('api-key-form').hidden = true;
  refresh();
  loadLanguages().catch(showProblem);
});
$('admin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  adminToken = $('admin-token').value;
  $('dead-letters-panel').hidden = false;
  refreshDeadLetters().catch((error) => { $('dead-letters-message').textContent = error.message; });
});
$('dead-letters-refresh').addEventListener('click', () => refreshDeadLetters().catch(showProblem));
$('dead-letters-replay-all').addEventListener('click', () => deadLetterAction('/admin/dead-letters/replay', 'POST'));
$('dead-letters-purge').addEventListener('click', () => {
  if (confirm('Delete every dead-lettered job?')) deadLetterAction('/admin/dead-letters', 'DELETE');
});
$('play-add-test').addEventListener('click', () => addTestInput());
$('playground').addEventListener('submit', runPlayground);

addTestInput('hello', 'hello');
loadLanguages().catch(showProblem);
refresh();
setInterval(refresh, REFRESH_MS);
