import { SEVERITIES } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import { ruleDomain } from '../model/rule.js';
import { COMPLIANCE_STYLE, complianceHtml } from './compliance.js';
import { RULE_DOCS_BASE } from './docs.js';
import type { FormatOptions } from './options.js';
import { escapeXml } from './xml.js';

/**
 * One self-contained page to send to a colleague: inline CSS and script, no request of any kind (a CSP says so
 * too). The report travels as JSON inside `<script type="application/json">` with `<` written as \u003c, and the
 * script renders every value with textContent, so no string from a scanned file can become markup or code.
 */
export function html(result: ScanResult, options: FormatOptions): string {
  const data = {
    asOf: result.asOf,
    failOn: options.failOn,
    failed: options.failed,
    docs: RULE_DOCS_BASE,
    targets: result.targets.map((t) => ({ id: t.id, name: t.name, source: t.source })),
    findings: result.findings.map((f) => ({ ...f, domain: ruleDomain(f.ruleId) })),
    skipped: result.skipped,
    resolved: result.baseline?.resolved ?? [],
  };
  const counts = [...SEVERITIES, 'suppressed', 'undecided'] as const;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aksguard report ${escapeXml(result.asOf.slice(0, 10))}</title>
<style>${STYLE}${result.frameworks ? COMPLIANCE_STYLE : ''}</style>
</head>
<body>
<header>
<h1>aksguard report</h1>
<p id="verdict" class="${options.failed || result.summary.errors > 0 ? 'fail' : 'pass'}">${verdict(result, options)} · ${result.targets.length} cluster(s) · ${result.summary.rulesRun} rules · as of <time id="as-of" datetime="${escapeXml(result.asOf)}">${escapeXml(result.asOf)}</time></p>
<ul id="summary">${counts.map((c) => `<li class="sev-${c}"><button type="button" data-filter="${c}" aria-pressed="false" title="show only these findings"><span class="count" data-count="${c}">${result.summary[c]}</span> ${c}</button></li>`).join('')}</ul>
</header>
${complianceHtml(result.frameworks)}<form id="filters" onsubmit="return false">
<fieldset id="severities"><legend>Severity</legend>${SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`).join(' ')}</fieldset>
<label>Domain <select id="domain"><option value="">all</option></select></label>
<label>Cluster <select id="target"><option value="">all</option></select></label>
<label>Show <select id="state"><option value="">all</option><option value="open">not suppressed</option><option value="suppressed">suppressed</option><option value="unknown">undecided</option></select></label>
<label>Search <input id="search" type="search" placeholder="rule, resource, message…"></label>
</form>
<p id="shown" aria-live="polite"></p>
<main id="clusters"></main>
<section id="notes"></section>
<script type="application/json" id="aksguard-data">${embedJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function verdict(result: ScanResult, options: FormatOptions): string {
  if (result.summary.errors > 0) return `INCOMPLETE: ${result.summary.errors} rule(s) failed`;
  const failOn = escapeXml(options.failOn);
  return options.failed ? `FAIL: findings at or above ${failOn}` : `pass (--fail-on ${failOn})`;
}

/** JSON that cannot end its script element or start a comment: `<`, `>`, `&` and line separators escaped. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--note:#fff8c5;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--panel:#161b22;--note:#3b2f00;--link:#4493f8}}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
a{color:var(--link)}h1{margin:.2rem 0}.fail{color:#cf222e;font-weight:600}.pass{color:#1a7f37;font-weight:600}
#summary{display:flex;gap:.6rem;list-style:none;padding:0;flex-wrap:wrap}#summary button{font:inherit;color:inherit;padding:.3rem .6rem;border-radius:4px;background:var(--panel);border:1px solid var(--line);cursor:pointer}
#summary button[aria-pressed=true]{outline:2px solid var(--link)}.count{font-weight:700}
form{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;margin:1rem 0;padding:.6rem;background:var(--panel);border-radius:6px}
fieldset{border:0;padding:0;margin:0}legend{font-weight:600}input[type=search]{min-width:16rem}
.cluster>h2{margin:1.4rem 0 .2rem;border-bottom:1px solid var(--line)}.source{color:var(--muted);font-size:13px;margin:0 0 .4rem}
.rule{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.rule h3{margin:0 0 .3rem;font-size:15px}.meta{color:var(--muted);font-size:13px}.resources{margin:.3rem 0;padding-left:1.2rem}.resources li{margin:.3rem 0}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:12px;text-transform:uppercase;margin-right:.4rem}
.rule.sev-critical{border-left-color:#7d1a1a}.sev-critical>.badge,.sev-critical>h3>.badge{background:#7d1a1a}
.rule.sev-high{border-left-color:#cf222e}.sev-high>.badge,.sev-high>h3>.badge{background:#cf222e}.rule.sev-medium{border-left-color:#bf8700}.sev-medium>.badge,.sev-medium>h3>.badge{background:#bf8700}
.rule.sev-low{border-left-color:#0969da}.sev-low>.badge,.sev-low>h3>.badge{background:#0969da}.rule.sev-info{border-left-color:#8c959f}.sev-info>.badge,.sev-info>h3>.badge{background:#8c959f}
.suppressed{opacity:.7}.note{background:var(--note);padding:.2rem .4rem;border-radius:4px}
pre{background:var(--panel);padding:.5rem;white-space:pre-wrap;margin:.4rem 0 0}
@media print{body{max-width:none;padding:0;color:#000;background:#fff}#filters,#shown,#summary button{border:0}#filters,#shown{display:none}
.rule{break-inside:avoid;border-color:#999}a{color:#000;text-decoration:none}pre{background:none;border:1px solid #ccc}details{display:block}}
`;

/**
 * Renders the embedded report grouped by cluster, then rule (one card per rule with its resources, the fix once
 * when every resource shares it), filters it, and shows the scan time in the reader's time zone. Only textContent
 * and attribute setters touch the page.
 */
const SCRIPT = `
(function(){
'use strict';
var data = JSON.parse(document.getElementById('aksguard-data').textContent);
var RANK = ['critical','high','medium','low','info'];
function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function fill(select, values, label){ values.forEach(function(v){ var o = el('option', '', label ? label(v) : v); o.value = v; select.appendChild(o); }); }
var names = {}; data.targets.forEach(function(t){ names[t.id] = t.name; });
var real = data.findings.filter(function(f){ return f.target !== '*'; });
fill(document.getElementById('domain'), Array.from(new Set(real.map(function(f){ return f.domain; }))).sort());
fill(document.getElementById('target'), data.targets.map(function(t){ return t.id; }), function(id){ return names[id] || id; });
var time = document.getElementById('as-of');
time.title = data.asOf; time.textContent = new Date(data.asOf).toLocaleString();
function resource(r){ return r.kind + ' ' + (r.namespace ? r.namespace + '/' : '') + r.name; }
function where(f){ var l = f.location; return l ? [l.file, l.line, l.column].filter(function(p){ return p !== undefined && p !== null; }).join(':') : ''; }
function fix(text){ var p = el('pre', 'remediation', text); return p; }
function item(f, ownFix){
  var li = el('li', 'finding sev-' + f.severity + (f.suppressed ? ' suppressed' : ''));
  li.dataset.severity = f.severity;
  li.appendChild(el('span', 'badge', f.unknown ? 'undecided' : f.severity));
  li.appendChild(el('strong', 'resource', resource(f.resource)));
  if (where(f)) li.appendChild(el('span', 'meta', ' ' + where(f)));
  li.appendChild(el('div', 'message', f.message));
  if (f.suppressed) li.appendChild(el('div', 'note', 'Suppressed by ' + f.suppressed.by + ': ' + f.suppressed.reason + (f.suppressed.expires ? ' (until ' + f.suppressed.expires + ')' : '')));
  if (ownFix && f.remediation) { li.appendChild(el('div', 'meta', 'Fix:')); li.appendChild(fix(f.remediation)); }
  return li;
}
function ruleCard(ruleId, list){
  var worst = list.map(function(f){ return RANK.indexOf(f.severity); }).sort()[0];
  var c = el('article', 'rule sev-' + RANK[worst]); c.dataset.rule = ruleId;
  var h = el('h3'); h.appendChild(el('span', 'badge', RANK[worst]));
  var a = el('a', '', ruleId); a.href = data.docs + encodeURI(ruleId) + '.md'; a.rel = 'noreferrer'; h.appendChild(a);
  h.appendChild(document.createTextNode(' ' + list[0].title)); c.appendChild(h);
  var count = el('div', 'meta count-line'); c.appendChild(count);
  var fixes = Array.from(new Set(list.map(function(f){ return f.remediation; })));
  var ul = el('ul', 'resources'); c.appendChild(ul);
  var items = list.map(function(f){ var li = item(f, fixes.length > 1); ul.appendChild(li); return { finding: f, node: li, text: (li.textContent + ' ' + ruleId + ' ' + f.title + ' ' + (names[f.target] || '')).toLowerCase() }; });
  if (fixes.length === 1 && fixes[0]) { c.appendChild(el('div', 'meta', 'Fix:')); c.appendChild(fix(fixes[0])); }
  return { node: c, count: count, items: items };
}
var clusters = document.getElementById('clusters'), cards = [], sections = [];
data.targets.forEach(function(t){
  var mine = real.filter(function(f){ return f.target === t.id; });
  var section = el('section', 'cluster'); section.dataset.target = t.id;
  section.appendChild(el('h2', '', t.name)); section.appendChild(el('p', 'source', t.source));
  var byRule = {}; mine.forEach(function(f){ (byRule[f.ruleId] = byRule[f.ruleId] || []).push(f); });
  var rules = Object.keys(byRule).map(function(id){ return ruleCard(id, byRule[id]); });
  rules.sort(function(a, b){ return RANK.indexOf(a.node.className.split('sev-')[1]) - RANK.indexOf(b.node.className.split('sev-')[1]) || (a.node.dataset.rule < b.node.dataset.rule ? -1 : 1); });
  rules.forEach(function(r){ section.appendChild(r.node); cards.push(r); });
  if (mine.length === 0) section.appendChild(el('p', '', 'No problems found.'));
  clusters.appendChild(section); sections.push({ node: section, rules: rules, empty: mine.length === 0 });
});
var total = real.length;
function apply(){
  var sev = {}; document.querySelectorAll('input[name=severity]').forEach(function(i){ sev[i.value] = i.checked; });
  var domain = document.getElementById('domain').value, target = document.getElementById('target').value;
  var state = document.getElementById('state').value, words = document.getElementById('search').value.toLowerCase().split(/\\s+/).filter(Boolean);
  var shown = 0;
  cards.forEach(function(card){
    var visible = 0;
    card.items.forEach(function(i){
      var f = i.finding;
      var ok = sev[f.severity] && (!domain || f.domain === domain) && (!target || f.target === target) &&
        (!state || (state === 'suppressed' ? !!f.suppressed : state === 'unknown' ? f.unknown && !f.suppressed : !f.suppressed)) &&
        words.every(function(w){ return i.text.indexOf(w) !== -1; });
      i.node.hidden = !ok; if (ok) visible++;
    });
    card.node.hidden = visible === 0; shown += visible;
    card.count.textContent = visible === card.items.length ? card.items.length + ' resource' + (card.items.length === 1 ? '' : 's') : visible + ' of ' + card.items.length + ' resources shown';
  });
  sections.forEach(function(s){ s.node.hidden = !s.empty ? s.rules.every(function(r){ return r.node.hidden; }) : !!target && s.node.dataset.target !== target; });
  document.getElementById('shown').textContent = shown + ' of ' + total + ' findings shown';
}
var buttons = document.querySelectorAll('#summary button');
buttons.forEach(function(b){ b.addEventListener('click', function(){
  var on = b.getAttribute('aria-pressed') !== 'true', f = b.dataset.filter, sevOnly = RANK.indexOf(f) !== -1;
  buttons.forEach(function(o){ o.setAttribute('aria-pressed', 'false'); });
  b.setAttribute('aria-pressed', String(on));
  document.querySelectorAll('input[name=severity]').forEach(function(i){ i.checked = !on || !sevOnly || i.value === f; });
  document.getElementById('state').value = !on ? '' : f === 'suppressed' ? 'suppressed' : f === 'undecided' ? 'unknown' : 'open';
  apply();
}); });
function manual(){ buttons.forEach(function(o){ o.setAttribute('aria-pressed', 'false'); }); apply(); }
document.getElementById('filters').addEventListener('input', manual);
document.getElementById('filters').addEventListener('change', manual);
var notes = document.getElementById('notes');
data.findings.filter(function(f){ return f.target === '*'; }).forEach(function(f){ notes.appendChild(el('p', 'note', 'Rule ' + f.ruleId + ' failed: ' + f.message)); });
data.skipped.forEach(function(s){ notes.appendChild(el('p', 'note', 'Skipped ' + s.file + ': ' + s.reason)); });
data.resolved.forEach(function(e){ notes.appendChild(el('p', 'note', 'Baseline entry no longer occurs: ' + e.ruleId + ' on ' + resource(e.resource))); });
apply();
})();
`;
