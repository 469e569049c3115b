// view.js draws one inventory import on the 导入 page: its progress while the server reads or
// writes, its preview (figures, how the columns were read, errors and the differences with the
// register) and, once committed, its result. Nothing reaches the register before 确认导入.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  panel, button, tag, stats, dataTable, tableFooter, select, openDialog, confirmAction, notify,
  formError, errorBox, emptyNote,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';

// pollMs is how often a running import is asked for its progress.
const pollMs = 700;

const statusTags = {
  preview: ['预览中', 'info'],
  running: ['处理中', 'warning'],
  failed: ['失败', 'danger'],
  committed: ['已导入', 'success'],
  discarded: ['已放弃', 'neutral'],
};

/** statusTag is an import's status as a tag: 预览中, 处理中, 失败, 已导入, 已放弃. */
export function statusTag(status) {
  const [text, tone] = statusTags[status] || [status, 'neutral'];
  return tag(text, tone);
}

const usageLabels = {
  in_use: '在用', idle: '闲置', leased: '出租', lent: '出借', pending_disposal: '待处置', under_repair: '维修中', other: '其他',
};

/** fmtDateTime writes a timestamp as YYYY-MM-DD HH:mm in local time. */
export function fmtDateTime(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** personName is how an uploader is shown: their name, else their username. */
export function personName(p) {
  return p ? p.name || p.display_name || p.username || '' : '';
}

function errorsHref(imp) {
  return `/api/v1/imports/${imp.id}/errors.xlsx`;
}

// changeValue is one side of a change; an empty value says so instead of showing nothing.
function changeValue(v, cls) {
  if (v == null || v === '') return h('span', { class: 'change-empty' }, '（空）');
  return h('span', { class: cls }, String(v));
}

// invalidRows is the number of rows with at least one error (older answers only count errors).
function invalidRows(s) {
  return s.invalid_rows != null ? s.invalid_rows : s.errors;
}

/**
 * showImport draws imp into host and keeps it current: it polls while the import runs and
 * redraws after every change the clerk makes. onStatus(imp) is called whenever the import's
 * status changes (for the history list); navigate(hash) leaves for another route.
 */
export function showImport(host, first, { onStatus, navigate }) {
  let imp = first;
  let openList = null; // the list tab the clerk chose; kept across redraws
  let mappingOpen = null; // whether the column mapping is unfolded; null = decide from the preview
  let skipInvalid = !!(first.options && first.options.skip_invalid);
  let pollFailures = 0;
  let polling = false;

  function set(next) {
    const changed = !imp || next.status !== imp.status;
    imp = next;
    draw();
    if (changed) onStatus(imp);
    if (imp.status === 'running') poll();
  }

  // poll asks for the import until it leaves "running"; it stops by itself once the page is
  // left (host is no longer in the document), while the job goes on at the server.
  function poll() {
    if (polling) return;
    polling = true;
    const tick = async () => {
      if (!host.isConnected) { polling = false; return; }
      try {
        const next = await api.get(`/imports/${imp.id}`);
        pollFailures = 0;
        if (!host.isConnected) { polling = false; return; }
        if (next.status !== 'running') {
          polling = false;
          set(next);
          return;
        }
        imp = next;
        draw();
      } catch (err) {
        if (err.status === 401 || err.status === 403 || err.status === 404) {
          polling = false;
          replace(host, errorBox(err));
          return;
        }
        pollFailures += 1;
        const note = host.querySelector('.progress-retry');
        if (note) { note.hidden = false; }
      }
      setTimeout(tick, pollFailures ? Math.min(pollMs * 2 ** pollFailures, 10000) : pollMs);
    };
    setTimeout(tick, pollMs);
  }

  function draw() {
    host.dataset.status = imp.status;
    host.dataset.importId = String(imp.id);
    switch (imp.status) {
      case 'running': replace(host, progressPanel()); break;
      case 'failed': replace(host, failedPanel()); break;
      case 'discarded': replace(host, discardedPanel()); break;
      default: replace(host, summaryPanel(), imp.status === 'preview' ? readingPanel() : null, listsPanel());
    }
  }

  function metaLine() {
    return [
      imp.unit ? `${imp.unit.name}（${imp.unit.code}）` : null,
      imp.sheet ? `工作表“${imp.sheet}”` : null,
      imp.header_row ? `表头在第 ${imp.header_row} 行` : null,
      `${personName(imp.created_by)} 上传于 ${fmtDateTime(imp.created_at)}`,
    ].filter(Boolean).join(' · ');
  }

  function progressPanel() {
    const p = imp.progress || {};
    const total = p.rows_total || 0;
    const percent = total ? Math.min(100, p.percent != null ? p.percent : (p.rows_read / total) * 100) : null;
    const parts = [total ? `已读取 ${fmtInt(p.rows_read || 0)} / ${fmtInt(total)} 行` : `已读取 ${fmtInt(p.rows_read || 0)} 行`];
    if (percent != null) parts.push(`${percent.toFixed(1)}%`);
    if (p.rows_per_second) {
      parts.push(`每秒 ${fmtInt(Math.round(p.rows_per_second))} 行`);
      if (total && p.rows_read < total) {
        const secs = Math.ceil((total - p.rows_read) / p.rows_per_second);
        parts.push(secs < 60 ? `预计还需 ${secs} 秒` : `预计还需 ${Math.ceil(secs / 60)} 分钟`);
      }
    }
    const committing = imp.phase === 'commit';
    return panel({ title: `${committing ? '正在写入台账' : '正在读取文件'}：${imp.file_name}`, actions: statusTag('running'), cls: 'import-progress' },
      h('p', { class: 'panel-text' }, metaLine()),
      h('progress', { class: 'progress', max: '100', value: percent == null ? null : percent, 'aria-label': '导入进度' }),
      h('p', { class: 'progress-text', 'aria-live': 'polite' }, parts.join(' · ')),
      h('p', { class: 'progress-retry alert alert-warning', hidden: true }, '暂时无法获取进度，正在重试……'),
      h('p', { class: 'muted small' }, committing
        ? '可以离开本页：写入在服务器上继续进行，完成后可在“导入记录”中查看结果。'
        : '可以离开本页：读取在服务器上继续进行，完成后可在“导入记录”中打开预览。'));
  }

  function failedPanel() {
    return panel({ title: `导入失败：${imp.file_name}`, actions: statusTag('failed') },
      h('p', { class: 'panel-text' }, metaLine()),
      h('div', { class: 'alert alert-error', role: 'alert' }, imp.failure || '文件未能读取。',
        ' 台账没有任何改动。请检查文件后重新上传。'));
  }

  function discardedPanel() {
    return panel({ title: `已放弃：${imp.file_name}`, actions: statusTag('discarded') },
      h('p', { class: 'panel-text' }, metaLine()),
      h('div', { class: 'alert alert-info' }, imp.failure || '这次导入已放弃，台账没有任何改动。'));
  }

  function summaryPanel() {
    const s = imp.summary || {};
    const committed = imp.status === 'committed';
    const figures = stats([
      ['行数', fmtInt(s.rows), '表头以下的数据行'],
      ['新增', fmtInt(s.new), committed ? '已建立新卡片' : '台账中还没有'],
      ['变更', fmtInt(s.changed), committed ? '已更新' : '与台账有不同'],
      ['未变', fmtInt(s.unchanged), '与台账一致'],
      ['本次未列出', fmtInt(s.missing), '台账中有、文件中没有'],
      ['错误', fmtInt(s.errors), s.errors ? `涉及 ${fmtInt(invalidRows(s))} 行` : '无'],
    ]);
    figures.classList.add('import-stats');
    if (s.errors) figures.lastElementChild.classList.add('stat-bad');
    return panel({ title: committed ? `导入结果：${imp.file_name}` : `预览：${imp.file_name}`, actions: statusTag(imp.status), cls: 'import-summary' },
      h('p', { class: 'panel-text' }, metaLine()),
      committed ? null : h('p', { class: 'panel-text' }, '这是预览，尚未写入台账。请核对下面的结果：确认无误后点击“确认导入”；不需要时点击“放弃”。'),
      !committed && imp.failure ? h('div', { class: 'alert alert-warning', role: 'alert' }, imp.failure) : null,
      figures,
      committed ? resultNote(s) : previewNotes(s));
  }

  function resultNote(s) {
    const skipped = imp.options && imp.options.skip_invalid && s.errors ? invalidRows(s) : 0;
    let text = `已导入：新增 ${fmtInt(s.new)}，变更 ${fmtInt(s.changed)}，未变 ${fmtInt(s.unchanged)}`;
    if (skipped) text += `；跳过有错误的 ${fmtInt(skipped)} 行`;
    text += '。';
    return h('div', { class: 'import-result' },
      h('div', { class: 'alert alert-success', role: 'status' }, text,
        imp.committed_at ? h('span', { class: 'muted small' }, ` 写入时间 ${fmtDateTime(imp.committed_at)}`) : null),
      s.missing ? h('div', { class: 'alert alert-warning' },
        `台账中另有 ${fmtInt(s.missing)} 张资产本次未列出，系统没有删除它们，请核实是否已处置、调出或丢失。`) : null,
      skipped ? h('p', { class: 'import-actions' },
        h('a', { class: 'btn', href: errorsHref(imp), download: true, dataset: { action: 'download-errors' } }, '下载错误标注表'),
        h('span', { class: 'muted small' }, '改正有错误的行后，可以再次上传，已导入的资产会显示为“未变”。')) : null);
  }

  function previewNotes(s) {
    const hasErrors = s.errors > 0;
    const commitBtn = button('确认导入', commit, { kind: 'primary', action: 'commit-import', disabled: hasErrors && !skipInvalid });
    const blockedHint = h('span', { class: 'import-blocked muted small', hidden: !hasErrors || skipInvalid },
      '有错误时不能导入：请改正后重新上传，或勾选“仅导入无错误的行”。');
    const skipBox = hasErrors ? h('label', { class: 'check import-skip' },
      h('input', {
        type: 'checkbox', name: 'skip_invalid', checked: skipInvalid,
        onchange: (e) => {
          skipInvalid = e.target.checked;
          commitBtn.disabled = !skipInvalid;
          blockedHint.hidden = skipInvalid;
        },
      }),
      `仅导入无错误的行（跳过 ${fmtInt(invalidRows(s))} 行）`) : null;
    return [
      hasErrors ? h('div', { class: 'alert alert-error import-errors-note', role: 'alert' },
        `文件中有 ${fmtInt(s.errors)} 处错误（${fmtInt(invalidRows(s))} 行）。请下载错误标注表，按标注在原文件中改正后重新上传；`,
        '也可以勾选“仅导入无错误的行”，先导入其余的行。') : null,
      h('div', { class: 'import-actions' },
        hasErrors ? h('a', { class: 'btn', href: errorsHref(imp), download: true, dataset: { action: 'download-errors' } }, '下载错误标注表') : null,
        skipBox,
        h('span', { class: 'import-actions-gap' }),
        blockedHint,
        button('放弃', discard, { action: 'discard-import' }),
        commitBtn),
    ];
  }

  async function commit() {
    const s = imp.summary || {};
    const skipping = s.errors > 0 && skipInvalid;
    const unitName = imp.unit ? imp.unit.name : '本单位';
    const lines = [
      `将写入“${unitName}”的资产台账：新增 ${fmtInt(s.new)} 张卡片，变更 ${fmtInt(s.changed)} 张，未变 ${fmtInt(s.unchanged)} 张。`,
      skipping ? `有错误的 ${fmtInt(invalidRows(s))} 行不会导入。` : null,
      s.missing ? `台账中另有 ${fmtInt(s.missing)} 张资产本次未列出，系统不会删除它们。` : null,
      imp.options && imp.options.blank_clears ? '文件中空白的单元格将清除台账中的原值。' : null,
      '确定导入吗？',
    ];
    const out = await openDialog({
      title: '确认导入', name: 'confirm-import', submitLabel: '确认导入',
      body: h('div', { class: 'confirm-text' }, lines.filter(Boolean).map((l) => h('p', null, l))),
      onSubmit: () => api.post(`/imports/${imp.id}/commit`, {
        skip_invalid: skipping,
        blank_clears: !!(imp.options && imp.options.blank_clears),
      }),
    });
    if (!out) return;
    if (out.status === 'committed') {
      const r = out.summary || {};
      notify(`已导入：新增 ${fmtInt(r.new)}，变更 ${fmtInt(r.changed)}`);
    }
    set(out);
  }

  async function discard() {
    const done = await confirmAction({
      title: '放弃本次导入',
      message: `放弃“${imp.file_name}”的这次导入吗？台账不会有任何改动；需要时可以重新上传。`,
      confirmLabel: '放弃',
      onConfirm: () => api.del(`/imports/${imp.id}`),
    });
    if (!done) return;
    notify('已放弃本次导入，台账没有改动');
    navigate('#/imports');
  }

  // readingPanel is how the file was read: the sheet, whether blank cells clear values, and
  // which column went to which field. Every change reads the file again at the server.
  function readingPanel() {
    const err = formError();
    const busyNote = h('span', { class: 'muted small', hidden: true }, '正在按新的设置重新读取……');
    const fieldset = h('fieldset', { class: 'import-reading' });

    async function change(body) {
      err.clear();
      fieldset.disabled = true;
      busyNote.hidden = false;
      try {
        const next = await api.patch(`/imports/${imp.id}`, body);
        set(next);
      } catch (ex) {
        err.show(ex);
        fieldset.disabled = false;
        busyNote.hidden = true;
      }
    }

    const cols = imp.columns || [];
    const fields = imp.fields || [];
    const mapped = cols.filter((c) => c.field);
    const skipped = cols.filter((c) => !c.field && !c.row_number);
    const numbering = cols.filter((c) => !c.field && c.row_number);
    const missing = fields.filter((f) => f.required && !cols.some((c) => c.field === f.key) &&
      // 原值 may come from 单价 × 数量 when the sheet has no total column.
      !(f.key === 'original_value' && cols.some((c) => c.field === 'unit_price')));
    const dupes = fields.filter((f) => cols.filter((c) => c.field === f.key).length > 1);
    const label = (key) => (fields.find((f) => f.key === key) || { header: key }).header;

    const sheets = imp.sheets || [];
    const options = [{ value: '', label: '不导入' }, ...fields.map((f) => ({ value: f.key, label: f.header + (f.required ? '（必填）' : '') }))];
    const table = dataTable({
      cls: 'mapping-table',
      columns: [
        { label: '列', value: (c) => h('span', { class: 'mono' }, c.letter), cls: 'col-letter' },
        { label: '文件中的表头', value: (c) => (c.header ? c.header : h('span', { class: 'muted' }, '（无表头）')) },
        {
          label: '导入为',
          value: (c) => [
            select(`map-${c.index}`, options, c.field || '', {
              class: 'input map-select', dataset: { col: c.letter },
              'aria-label': `${c.letter} 列“${c.header || ''}”导入为`,
              onchange: (e) => change({ mapping: { [String(c.index)]: e.target.value } }),
            }),
            c.row_number && !c.field ? tag('序号列，已跳过') : null,
            !c.row_number && !c.field ? tag('不导入', 'warning') : null,
          ],
        },
      ],
      rows: cols,
      rowKey: (c) => c.letter,
      empty: '没有读到表头',
    });
    for (const c of cols) {
      if (!c.field) table.querySelector(`tr[data-key="${c.letter}"]`).classList.add('map-skipped');
    }

    const summaryText = [`列对应：共 ${cols.length} 列，导入 ${mapped.length} 列`];
    if (numbering.length) summaryText.push(`序号列 ${numbering.map((c) => c.letter).join('、')} 跳过`);
    if (skipped.length) summaryText.push(`不导入 ${skipped.map((c) => `${c.letter}“${c.header || '无表头'}”`).join('、')}`);
    if (missing.length) summaryText.push(`缺少必填项 ${missing.map((f) => f.header).join('、')}`);
    const details = h('details', {
      class: 'mapping', open: mappingOpen == null ? missing.length > 0 || dupes.length > 0 : mappingOpen,
      ontoggle: (e) => { mappingOpen = e.target.open; },
    },
    h('summary', null, summaryText.join('；')),
    h('p', { class: 'panel-text' }, '系统按表头自动识别各列；识别不对时，在“导入为”中改选，预览会立即按新的对应关系重新生成。改过的对应关系会记住，本单位下次上传同样表头的文件时自动沿用。'),
    table);

    append(fieldset,
      h('div', { class: 'import-reading-row' },
        sheets.length > 1
          ? h('label', { class: 'inline-field' }, h('span', { class: 'field-label' }, '工作表'),
            select('sheet', sheets.map((n) => ({ value: n, label: n })), imp.sheet, {
              class: 'input sheet-select', onchange: (e) => change({ sheet: e.target.value }),
            }))
          : h('span', { class: 'muted' }, imp.sheet ? `工作表：${imp.sheet}` : ''),
        h('label', { class: 'check' },
          h('input', {
            type: 'checkbox', name: 'blank_clears', checked: !!(imp.options && imp.options.blank_clears),
            onchange: (e) => change({ blank_clears: e.target.checked }),
          }),
          '空白单元格清除原值'),
        h('span', { class: 'muted small' }, '不勾选时，文件中空白的单元格保留台账中的原值。'),
        busyNote),
      missing.length ? h('div', { class: 'alert alert-warning' },
        `文件中没有找到这些必填项的列：${missing.map((f) => f.header).join('、')}。请在下表中为它们指定对应的列。`) : null,
      dupes.length ? h('div', { class: 'alert alert-warning' },
        dupes.map((f) => `“${label(f.key)}”对应了多列（${cols.filter((c) => c.field === f.key).map((c) => c.letter).join('、')}）`).join('；') + '，请只保留一列。') : null,
      details);
    return panel({ title: '读取方式', cls: 'import-reading-panel' }, fieldset, err.el);
  }

  // listsPanel shows what the import found, one tab per kind.
  function listsPanel() {
    const s = imp.summary || {};
    const rowCol = { label: '行号', value: (r) => fmtInt(r.row), num: true, cls: 'col-row' };
    const noCol = { label: '资产编号', value: (r) => h('span', { class: 'mono' }, r.asset_no || '') };
    const nameCol = { label: '资产名称', value: (r) => r.name || '' };
    const lists = [
      {
        key: 'errors', label: '错误', count: s.errors || 0, rows: imp.errors || [],
        columns: [rowCol, { label: '列', value: (r) => r.column || '—' }, { label: '问题', value: (r) => r.message, cls: 'col-message' }],
        empty: '没有错误',
        more: imp.errors_truncated ? '只列出了前面的错误，完整的标注请下载错误标注表' : null,
      },
      {
        key: 'new', label: '新增', count: s.new || 0, rows: imp.new || [],
        columns: [rowCol, noCol, nameCol,
          { label: '资产分类', value: (r) => [r.category_code ? h('span', { class: 'mono' }, r.category_code) : null, r.category_name ? ' ' + r.category_name : null] },
          { label: '数量', value: (r) => fmtInt(r.quantity), num: true },
          { label: '原值', value: (r) => fmtMoney(r.original_value), num: true }],
        empty: '没有新增的资产',
      },
      {
        key: 'changed', label: '变更', count: s.changed || 0, rows: imp.changed || [],
        columns: [rowCol, noCol, nameCol, {
          label: '变化（原值 → 新值）', cls: 'col-changes',
          value: (r) => h('ul', { class: 'change-list' }, (r.changes || []).map((c) => h('li', null,
            h('span', { class: 'change-label' }, c.label || c.field), '：',
            changeValue(c.old, 'change-old'), h('span', { class: 'change-arrow', 'aria-label': '改为' }, ' → '),
            changeValue(c.new, 'change-new')))),
        }],
        empty: '没有需要变更的资产',
      },
      {
        key: 'unchanged', label: '未变', count: s.unchanged || 0, rows: imp.unchanged || [],
        columns: [rowCol, noCol, nameCol], empty: '没有与台账完全一致的资产',
      },
      {
        key: 'missing', label: '本次未列出', count: s.missing || 0, rows: imp.missing || [],
        intro: '这些资产在台账中但本次文件未列出：请核实是否已处置、调出或丢失，系统不会自动删除。',
        columns: [noCol, nameCol, { label: '使用状况', value: (r) => usageLabels[r.usage_status] || r.usage_status || '' }],
        empty: '台账中的资产都在本次文件中',
      },
    ];
    if (!openList || !lists.some((l) => l.key === openList)) {
      openList = (lists.find((l) => l.key === 'errors' && l.count) || lists.find((l) => l.key === 'changed' && l.count) ||
        lists.find((l) => l.key === 'new' && l.count) || lists.find((l) => l.count) || lists[1]).key;
    }
    const body = h('div', { class: 'import-list' });
    const tabs = h('div', { class: 'tabs import-tabs', role: 'tablist', 'aria-label': '预览明细' });
    function show(key) {
      openList = key;
      const l = lists.find((x) => x.key === key);
      for (const b of tabs.children) {
        const on = b.dataset.tab === key;
        b.classList.toggle('active', on);
        b.setAttribute('aria-selected', String(on));
      }
      const footer = [];
      if (l.rows.length < l.count) footer.push(`只列出前 ${fmtInt(l.rows.length)} 条，共 ${fmtInt(l.count)} 条`);
      else if (l.count) footer.push(`共 ${fmtInt(l.count)} 条`);
      if (l.more) footer.push(l.more);
      replace(body,
        l.intro ? h('p', { class: 'alert alert-warning import-list-intro' }, l.intro) : null,
        l.count || l.rows.length
          ? dataTable({ columns: l.columns, rows: l.rows, rowKey: (r) => (r.row != null ? r.row : r.asset_no), cls: 'import-table-' + l.key })
          : emptyNote(l.empty),
        footer.length ? tableFooter(...footer) : null);
    }
    for (const l of lists) {
      tabs.append(h('button', {
        type: 'button', class: ['tab', l.key === 'errors' && l.count && 'tab-bad'], role: 'tab', dataset: { tab: l.key },
        onclick: () => show(l.key),
      }, l.label, h('span', { class: 'tab-count' }, fmtInt(l.count))));
    }
    show(openList);
    return panel({ title: imp.status === 'committed' ? '导入明细' : '预览明细', cls: 'panel-flush import-lists' }, tabs, body);
  }

  set(first);
}
