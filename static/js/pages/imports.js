// imports.js is 导入, where a unit's asset register comes in from its own inventory sheet:
// choose the unit (clerks have theirs), drop a file, check the preview, commit. #/imports shows
// the upload and the unit's history; #/imports/7 also opens import 7 (progress, preview or
// result). The drawing of one import is in imports/view.js.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import {
  pageHeader, panel, button, dataTable, tableFooter, select, emptyState, emptyNote, errorBox,
  formError, messageOf, FormError,
} from '../ui.js';
import { fmtInt } from '../format.js';
import { showImport, statusTag, fmtDateTime, personName } from './imports/view.js';

export const title = '资产台账导入';

// maxBytes is the upload limit the server enforces; checked here first to spare a long upload.
const maxBytes = 50 << 20;
const formats = ['.xlsx', '.xls', '.csv'];
// unitKey remembers which unit finance or an administrator last imported for, in this tab.
const unitKey = 'assetpool.import-unit';
const templateHref = '/api/v1/templates/assets.xlsx';

function fmtSize(bytes) {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// fileProblem says what is wrong with a chosen file before it is sent, or '' when nothing is.
function fileProblem(f) {
  const name = f.name.toLowerCase();
  if (!formats.some((ext) => name.endsWith(ext))) {
    return `“${f.name}”不是 Excel 或 CSV 文件。请上传 .xlsx、.xls 或 .csv 格式的清查表。`;
  }
  if (f.size === 0) return `“${f.name}”是空文件，请检查后重新选择。`;
  if (f.size > maxBytes) {
    return `“${f.name}”有 ${fmtSize(f.size)}，超过 50 MB 的上限。请删除多余的工作表，或把清查表分成几个文件分别上传。`;
  }
  return '';
}

// uploadMessage is the Chinese text for a failed upload; a 413 may come from the server's
// body limit before the import handler, without a message of its own.
function uploadMessage(err) {
  if (err && err.status === 413) {
    return /MB/.test(err.message || '') ? err.message
      : '文件超过 50 MB 的上限。请删除多余的工作表，或把清查表分成几个文件分别上传。';
  }
  return messageOf(err);
}

function rememberedUnit() {
  try {
    return sessionStorage.getItem(unitKey) || '';
  } catch {
    return '';
  }
}

function rememberUnit(code) {
  try {
    sessionStorage.setItem(unitKey, code);
  } catch {
    // Private windows may refuse storage; the choice then lasts as long as the page.
  }
}

export async function render(root, { user, params, navigate }) {
  const idParam = params[0];
  if (idParam && !/^\d+$/.test(idParam)) {
    location.replace('#/imports');
    return;
  }
  const clerk = user.role === 'clerk';
  if (clerk && !user.unit_id) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  const [unitsRes, opened] = await Promise.all([
    api.get('/units'),
    idParam ? api.get('/imports/' + idParam).catch((err) => ({ loadError: err })) : null,
  ]);
  const units = unitsRes.items;
  const openedImport = opened && !opened.loadError ? opened : null;

  let unit;
  if (clerk) {
    unit = units.find((u) => u.id === user.unit_id) || { ...user.unit, assets: null };
  } else {
    const want = openedImport && openedImport.unit ? openedImport.unit.code : rememberedUnit();
    unit = units.find((u) => u.code === want) || units[0];
  }
  if (!unit) {
    append(root,
      pageHeader('资产台账导入', '上传各单位的资产清查表，预览核对后写入台账'),
      panel({}, emptyState('还没有任何单位', '请系统管理员先在“系统设置 → 单位”中添加单位，再导入资产台账。')));
    return;
  }

  // --- upload: unit, drop zone, template and register downloads ---
  const err = formError();
  const status = h('p', { class: 'drop-status', role: 'status', hidden: true });
  const file = h('input', {
    type: 'file', id: 'import-file', name: 'file', class: 'visually-hidden',
    accept: '.xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv',
    onchange: () => upload(file.files[0]),
  });
  const pick = h('label', { class: 'btn btn-primary', for: 'import-file' }, '选择文件');
  const drop = h('div', { class: 'dropzone', id: 'import-drop' },
    file,
    h('p', { class: 'drop-title' }, '拖入或选择清查表：.xlsx、.xls、.csv，最大 50 MB'),
    h('div', { class: 'drop-actions' }, pick),
    h('p', { class: 'drop-hint' }, '上传后先生成预览，核对无误并点击“确认导入”后才写入台账。'),
    status);
  let uploading = false;
  for (const ev of ['dragenter', 'dragover']) {
    drop.addEventListener(ev, (e) => {
      e.preventDefault();
      if (!uploading) drop.classList.add('drop-active');
    });
  }
  drop.addEventListener('dragleave', (e) => {
    if (!drop.contains(e.relatedTarget)) drop.classList.remove('drop-active');
  });
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('drop-active');
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) return;
    if (files.length > 1) {
      err.show('一次只能上传一个文件，请逐个拖入。');
      return;
    }
    upload(files[0]);
  });

  // A file dropped beside the zone would make the browser leave the page to show it.
  for (const ev of ['dragover', 'drop']) root.addEventListener(ev, (e) => e.preventDefault());

  async function upload(f) {
    err.clear();
    if (!f || uploading) return;
    const problem = fileProblem(f);
    if (problem) {
      err.show(problem);
      file.value = '';
      return;
    }
    uploading = true;
    drop.classList.add('drop-busy');
    pick.classList.add('btn-disabled');
    file.disabled = true;
    replace(status, `正在上传“${f.name}”（${fmtSize(f.size)}）并生成预览……`);
    status.hidden = false;
    const fd = new FormData();
    fd.append('file', f);
    fd.append('unit', unit.code);
    try {
      const imp = await api.upload('/imports', fd);
      const target = '#/imports/' + imp.id;
      if (location.hash === target) {
        openImport(imp);
        loadHistory();
      } else {
        navigate(target);
      }
    } catch (ex) {
      err.show(uploadMessage(ex));
    } finally {
      uploading = false;
      drop.classList.remove('drop-busy');
      pick.classList.remove('btn-disabled');
      file.disabled = false;
      file.value = '';
      status.hidden = true;
    }
  }

  const unitControl = clerk
    ? h('div', { class: 'import-unit' },
      h('span', { class: 'field-label' }, '导入单位'),
      h('span', { class: 'import-unit-name', id: 'import-unit' }, `${unit.name}（${unit.code}）`))
    : h('label', { class: 'import-unit' },
      h('span', { class: 'field-label' }, '导入单位'),
      select('unit', units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` })), unit.code, {
        id: 'import-unit',
        onchange: (e) => {
          rememberUnit(e.target.value);
          if (openedImport) {
            navigate('#/imports');
            return;
          }
          unit = units.find((u) => u.code === e.target.value) || unit;
          drawDownloads();
          loadHistory();
        },
      }));
  if (!clerk) rememberUnit(unit.code);

  const downloads = h('div', { class: 'import-downloads' });
  function drawDownloads() {
    const cards = unit.assets ? unit.assets.cards : 0;
    replace(downloads,
      h('p', { class: 'field-label' }, '模板与现有台账'),
      h('ul', { class: 'link-list' },
        h('li', null, h('a', { href: templateHref, download: true, dataset: { action: 'download-template' } }, '下载空白模板（.xlsx）')),
        h('li', null, cards
          ? h('a', { href: `/api/v1/units/${encodeURIComponent(unit.code)}/assets.xlsx`, download: true, dataset: { action: 'download-register' } },
            `下载${clerk ? '本单位' : '该单位'}现有台账（${fmtInt(cards)} 张卡片）`)
          : h('span', { class: 'muted' }, `${clerk ? '本单位' : '该单位'}台账还是空的`))),
      h('p', { class: 'field-hint' }, '在现有台账上修改后重新上传最省事：没改动的资产会显示为“未变”。其他格式的清查表也可以直接上传，系统会识别表头，识别不准时可手动指定列。'));
  }
  drawDownloads();

  // refreshUnit reads the unit's totals again after a commit changed its register.
  async function refreshUnit() {
    try {
      const fresh = await api.get('/units/' + unit.id);
      if (fresh.code !== unit.code) return;
      unit = { ...unit, ...fresh };
      drawDownloads();
    } catch {
      // The figures stay as they were; the history shows the commit all the same.
    }
  }

  // --- the open import ---
  const importHost = h('div', { class: 'import-current', id: 'import-current' });
  function openImport(imp) {
    showImport(importHost, imp, {
      onStatus: (next) => {
        loadHistory();
        if (next.status === 'committed') refreshUnit();
      },
      navigate,
    });
  }

  // --- history of the unit ---
  const historyBody = h('div', { id: 'import-history' });
  let historyTimer = null;
  async function loadHistory() {
    clearTimeout(historyTimer);
    const code = unit.code;
    let items;
    try {
      items = (await api.get('/imports?unit=' + encodeURIComponent(code))).items || [];
    } catch (ex) {
      replace(historyBody, h('div', { class: 'panel-body' }, errorBox(ex)));
      return;
    }
    if (code !== unit.code || !root.isConnected) return;
    drawHistory(items);
    // A job someone left running finishes on its own: look again until none is running.
    if (items.some((i) => i.status === 'running')) {
      historyTimer = setTimeout(() => { if (root.isConnected) loadHistory(); }, 3000);
    }
  }

  function drawHistory(items) {
    if (!items.length) {
      const cards = unit.assets ? unit.assets.cards : 0;
      replace(historyBody, cards
        ? emptyNote('还没有导入记录', `${clerk ? '本单位' : '该单位'}台账已有 ${fmtInt(cards)} 张卡片。可下载现有台账，修改后重新上传。`)
        : emptyState('还没有导入资产台账', '下载模板 或 上传清查表：填好模板后上传，或直接上传本单位现有的资产清查表。系统先给出预览，确认后才写入台账。',
          h('a', { class: 'btn', href: templateHref, download: true }, '下载模板'),
          button('上传清查表', () => file.click(), { kind: 'primary', action: 'pick-file' })));
      return;
    }
    const openId = openedImport ? openedImport.id : null;
    const num = (key) => (i) => (i.summary ? fmtInt(i.summary[key]) : '');
    const table = dataTable({
      cls: 'import-history',
      columns: [
        { label: '上传时间', value: (i) => h('span', { class: 'nowrap' }, fmtDateTime(i.created_at)) },
        { label: '上传人', value: (i) => personName(i.created_by) },
        { label: '文件', value: (i) => h('a', { href: '#/imports/' + i.id, class: 'import-file-link' }, i.file_name) },
        { label: '状态', value: (i) => statusTag(i.status) },
        { label: '行数', value: num('rows'), num: true },
        { label: '新增', value: num('new'), num: true },
        { label: '变更', value: num('changed'), num: true },
        { label: '未变', value: num('unchanged'), num: true },
        { label: '本次未列出', value: num('missing'), num: true },
        { label: '错误', value: num('errors'), num: true },
      ],
      rows: items,
      rowKey: (i) => i.id,
    });
    for (const tr of table.querySelectorAll('tbody tr[data-key]')) {
      tr.classList.add('row-link');
      if (String(openId) === tr.dataset.key) tr.classList.add('row-current');
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a')) navigate('#/imports/' + tr.dataset.key);
      });
    }
    const committed = items.filter((i) => i.status === 'committed').length;
    replace(historyBody, table, tableFooter(`共 ${fmtInt(items.length)} 次上传`, committed ? `其中已导入 ${fmtInt(committed)} 次` : null));
  }

  append(root,
    pageHeader('资产台账导入', clerk
      ? `上传${unit.name}的资产清查表，预览核对后写入台账`
      : '为各单位上传资产清查表，预览核对后写入台账'),
    panel({ title: '上传清查表', cls: 'import-upload' },
      h('div', { class: 'import-top' },
        h('div', { class: 'import-drop-col' }, drop, err.el),
        h('div', { class: 'import-side' }, unitControl, downloads))),
    importHost,
    panel({ title: '导入记录', cls: 'panel-flush' }, historyBody));

  if (opened && opened.loadError) {
    replace(importHost, errorBox(opened.loadError));
  } else if (openedImport) {
    openImport(openedImport);
  }
  await loadHistory();
}
