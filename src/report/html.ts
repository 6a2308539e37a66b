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
  const counts = [...SEVERITIES, 'suppressed', 'unknown'] as const;
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
<p id="verdict" class="${options.failed ? 'fail' : 'pass'}">${options.failed ? `FAIL: findings at or above ${escapeXml(options.failOn)}` : `pass (--fail-on ${escapeXml(options.failOn)})`} · ${result.targets.length} cluster(s) · ${result.summary.rulesRun} rules · as of ${escapeXml(result.asOf)}</p>
<ul id="summary">${counts.map((c) => `<li class="sev-${c}"><span class="count" data-count="${c}">${result.summary[c]}</span> ${c === 'unknown' ? 'undecided' : c}</li>`).join('')}</ul>
</header>
${complianceHtml(result.frameworks)}<form id="filters" onsubmit="return false">
<fieldset id="severities"><legend>Severity</legend>${SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`).join(' ')}</fieldset>
<label>Domain <select id="domain"><option value="">all</option></select></label>
<label>Cluster <select id="target"><option value="">all</option></select></label>
<label>Show <select id="state"><option value="">all</option><option value="open">not suppressed</option><option value="suppressed">suppressed</option><option value="unknown">undecided</option></select></label>
<label>Search <input id="search" type="search" placeholder="rule, resource, message…"></label>
</form>
<p id="shown" aria-live="polite"></p>
<main id="findings"></main>
<section id="notes"></section>
<script type="application/json" id="aksguard-data">${embedJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** JSON that cannot end its script element or start a comment: `<`, `>`, `&` and line separators escaped. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1b1f24;background:#fff}
h1{margin:.2rem 0}.fail{color:#b3261e;font-weight:600}.pass{color:#1a7f37;font-weight:600}
#summary{display:flex;gap:.6rem;list-style:none;padding:0;flex-wrap:wrap}#summary li{padding:.3rem .6rem;border-radius:4px;background:#f3f4f6}
.count{font-weight:700}form{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;margin:1rem 0;padding:.6rem;background:#f6f8fa;border-radius:6px}
fieldset{border:0;padding:0;margin:0}legend{font-weight:600}input[type=search]{min-width:16rem}
.finding{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.finding h3{margin:0 0 .3rem;font-size:15px}.meta{color:#57606a;font-size:13px}.badge{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:12px;text-transform:uppercase;margin-right:.4rem}
.sev-critical .badge,.finding.sev-critical{border-left-color:#7d1a1a}.sev-critical .badge{background:#7d1a1a}
.finding.sev-high{border-left-color:#cf222e}.sev-high .badge{background:#cf222e}.finding.sev-medium{border-left-color:#bf8700}.sev-medium .badge{background:#bf8700}
.finding.sev-low{border-left-color:#0969da}.sev-low .badge{background:#0969da}.finding.sev-info{border-left-color:#8c959f}.sev-info .badge{background:#8c959f}
.suppressed{opacity:.7}.note{background:#fff8c5;padding:.2rem .4rem;border-radius:4px}pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;margin:.4rem 0 0}
`;

/** Renders and filters the embedded report. Only textContent and attribute setters touch the page. */
const SCRIPT = `
(function(){
'use strict';
var data = JSON.parse(document.getElementById('aksguard-data').textContent);
var names = {}; data.targets.forEach(function(t){ names[t.id] = t.name; });
function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function fill(select, values, label){ values.forEach(function(v){ var o = el('option', '', label ? label(v) : v); o.value = v; select.appendChild(o); }); }
var real = data.findings.filter(function(f){ return f.target !== '*'; });
fill(document.getElementById('domain'), Array.from(new Set(real.map(function(f){ return f.domain; }))).sort());
fill(document.getElementById('target'), data.targets.map(function(t){ return t.id; }), function(id){ return names[id] || id; });
function resource(r){ return r.kind + ' ' + (r.namespace ? r.namespace + '/' : '') + r.name; }
function where(f){ var l = f.location; return l ? [l.file, l.line, l.column].filter(function(p){ return p !== undefined && p !== null; }).join(':') : ''; }
function card(f){
  var c = el('article', 'finding sev-' + f.severity + (f.suppressed ? ' suppressed' : ''));
  c.dataset.severity = f.severity; c.dataset.rule = f.ruleId;
  var h = el('h3'); h.appendChild(el('span', 'badge', f.unknown ? 'undecided' : f.severity));
  var a = el('a', '', f.ruleId); a.href = data.docs + encodeURI(f.ruleId) + '.md'; a.rel = 'noreferrer'; h.appendChild(a);
  h.appendChild(document.createTextNode(' ' + f.title)); c.appendChild(h);
  c.appendChild(el('div', 'meta resource', resource(f.resource) + ' · ' + (names[f.target] || f.target) + (where(f) ? ' · ' + where(f) : '')));
  c.appendChild(el('p', 'message', f.message));
  if (f.suppressed) c.appendChild(el('p', 'note', 'Suppressed by ' + f.suppressed.by + ': ' + f.suppressed.reason + (f.suppressed.expires ? ' (until ' + f.suppressed.expires + ')' : '')));
  if (f.remediation) { c.appendChild(el('div', 'meta', 'Fix:')); c.appendChild(el('pre', 'remediation', f.remediation)); }
  return c;
}
var cards = real.map(function(f){ var c = card(f); return { finding: f, node: c, text: c.textContent.toLowerCase() }; });
var list = document.getElementById('findings');
cards.forEach(function(c){ list.appendChild(c.node); });
function apply(){
  var sev = {}; document.querySelectorAll('input[name=severity]').forEach(function(i){ sev[i.value] = i.checked; });
  var domain = document.getElementById('domain').value, target = document.getElementById('target').value;
  var state = document.getElementById('state').value, words = document.getElementById('search').value.toLowerCase().split(/\\s+/).filter(Boolean);
  var shown = 0;
  cards.forEach(function(c){
    var f = c.finding;
    var ok = sev[f.severity] && (!domain || f.domain === domain) && (!target || f.target === target) &&
      (!state || (state === 'suppressed' ? !!f.suppressed : state === 'unknown' ? f.unknown && !f.suppressed : !f.suppressed)) &&
      words.every(function(w){ return c.text.indexOf(w) !== -1; });
    c.node.hidden = !ok; if (ok) shown++;
  });
  document.getElementById('shown').textContent = shown + ' of ' + cards.length + ' findings shown';
}
document.getElementById('filters').addEventListener('input', apply);
document.getElementById('filters').addEventListener('change', apply);
var notes = document.getElementById('notes');
data.findings.filter(function(f){ return f.target === '*'; }).forEach(function(f){ notes.appendChild(el('p', 'note', 'Rule ' + f.ruleId + ' failed: ' + f.message)); });
data.skipped.forEach(function(s){ notes.appendChild(el('p', 'note', 'Skipped ' + s.file + ': ' + s.reason)); });
data.resolved.forEach(function(e){ notes.appendChild(el('p', 'note', 'Baseline entry no longer occurs: ' + e.ruleId + ' on ' + resource(e.resource))); });
apply();
})();
`;
