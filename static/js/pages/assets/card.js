// card.js draws one asset card (#/assets/{id}): the header with its status, 基本信息 (edited in
// place by the unit's clerk), 价值与折旧 as of a day the user picks beside the spreadsheet's own
// figures, 照片 and 变动记录. A save carries the version the clerk saw; when someone else saved
// first, the form stays as typed, says so, and offers to load the latest version.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, tag, definitionList, emptyNote, errorBox, notify, messageOf, confirmAction,
  formError,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import {
  usageTag, conditionTag, poolTag, loadCategories, categoryNames, listHash, labelsHref, today,
} from './common.js';
import { assetForm } from './form.js';
import { historyList } from './history.js';

// maxPhotos is how many photos a card may have (the server says the same when it refuses).
const maxPhotos = 5;

/** showCard draws card id into root. */
export async function showCard(root, { user }, id) {
  const back = h('a', { class: 'btn', href: listHash(), dataset: { action: 'back' } }, '← 返回资产台账');
  let card;
  let cats;
  try {
    [card, cats] = await Promise.all([api.get('/assets/' + id), loadCategories()]);
  } catch (err) {
    if (err && err.status === 401) throw err;
    append(root, pageHeader('资产卡片', null, back), panel({}, errorBox(err),
      err && err.status === 404 ? h('p', { class: 'panel-text card-missing' }, '这张卡片不存在，或不属于您可以查看的单位。请回到资产台账重新查找。') : null));
    return;
  }
  const names = categoryNames(cats);
  let asOf = '';
  let editor = null; // the open edit form: {form, base, err}

  const headerHost = h('div');
  const infoBody = h('div', { id: 'asset-info' });
  const infoPanel = panel({ title: '基本信息', cls: 'asset-info' }, infoBody);
  const infoActions = h('div', { class: 'panel-actions' });
  infoPanel.querySelector('.panel-head').append(infoActions);
  const valueBody = h('div', { id: 'asset-value' });
  const photoBody = h('div', { id: 'asset-photos' });
  const historyBody = h('div', { id: 'asset-history' });

  // --- header: number and name, tags, actions ---
  function drawHeader() {
    const actions = [back, h('a', {
      class: 'btn', href: labelsHref([card.id]), target: '_blank', rel: 'noopener', dataset: { action: 'print-label' },
    }, '打印标签')];
    if (card.can_edit && !editor) {
      actions.push(card.usage_status === 'idle'
        ? button('恢复在用', () => mark('in_use'), { action: 'mark-in-use' })
        : button('标记为闲置', () => mark('idle'), { kind: 'primary', action: 'mark-idle' }));
    }
    replace(headerHost, pageHeader(
      [h('span', { class: 'mono card-no' }, card.asset_no), ' ', h('span', { class: 'card-name' }, card.name),
        h('span', { class: 'card-tags', id: 'asset-tags' }, usageTag(card.usage_status), conditionTag(card.condition), poolTag(card))],
      `${card.unit_name}（${card.unit_code}）· ${card.category_name || card.category_code}`,
      ...actions));
  }

  async function mark(status) {
    try {
      await api.post('/assets/mark', { ids: [card.id], usage_status: status });
      await refresh();
      if (status === 'idle') {
        notify(card.in_pool ? '已标记为闲置，已进入闲置资产库，其他单位可以申请调剂' : '已标记为闲置');
      } else {
        notify('已恢复为在用，已从闲置资产库撤下');
      }
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  }

  // --- 基本信息 ---
  function drawInfo() {
    replace(infoActions, card.can_edit && !editor ? button('编辑', startEdit, { small: true, action: 'edit' }) : null);
    if (editor) return;
    const mu = card.measure_unit || '';
    const idle = card.usage_status === 'idle';
    const pairs = [
      ['资产编号', h('span', { class: 'mono' }, card.asset_no)],
      ['资产名称', card.name],
      ['资产分类', `${card.category_name || ''}（${card.category_code}）`],
      ['所属单位', `${card.unit_name}（${card.unit_code}）`],
      ['数量', `${fmtInt(card.quantity)}${mu ? ' ' + mu : ''}`],
      ['原值', fmtMoney(card.original_value)],
      ['取得日期', card.acquired_on],
      ['取得方式', card.acquisition_method],
      ['使用状况', usageTag(card.usage_status)],
      ['完好程度', conditionTag(card.condition)],
    ];
    if (idle) {
      pairs.push(['闲置起始日', card.idle_since]);
      pairs.push(['可调剂数量', card.quantity > 1
        ? `${fmtInt(card.offered != null ? card.offered : card.quantity)}${mu ? ' ' + mu : ''}（共 ${fmtInt(card.quantity)}${mu ? ' ' + mu : ''}）`
        : `${fmtInt(card.quantity)}${mu ? ' ' + mu : ''}`]);
    }
    pairs.push(
      ['使用部门', card.department],
      ['使用人', card.custodian],
      ['存放地点', card.location],
      ['品牌', card.brand],
      ['规格型号', card.model],
      ['序列号', card.serial_no],
      ['经费来源', card.funding_source],
      ['备注', card.remarks],
      ['最后修改', `${card.updated_at ? card.updated_at.slice(0, 10) : ''}（第 ${card.version} 版）`],
    );
    replace(infoBody, h('div', { class: 'deflist-2' }, definitionList(pairs)));
  }

  function startEdit() {
    const form = assetForm(card, cats);
    const err = formError();
    const conflict = h('div', { class: 'alert alert-warning conflict', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, '保存');
    const cancel = button('放弃修改', stopEdit, { action: 'cancel-edit' });
    const el = h('form', { class: 'asset-edit', novalidate: true, dataset: { form: 'asset-edit' } },
      conflict, err.el, form.el,
      h('div', { class: 'form-actions' }, save, cancel,
        h('span', { class: 'muted small' }, `正在编辑第 ${card.version} 版`)));
    editor = { form, base: card, err, conflict, el, save };
    el.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    drawHeader();
    drawInfo();
    replace(infoBody, el);
    const first = el.querySelector('input, select');
    if (first) first.focus();
  }

  function stopEdit() {
    editor = null;
    drawHeader();
    drawInfo();
  }

  async function submit() {
    const ed = editor;
    ed.err.clear();
    if (!ed.form.check()) {
      ed.err.show('请按提示修改标红的栏目');
      return;
    }
    const changes = ed.form.patch(ed.base);
    if (!Object.keys(changes).length) {
      stopEdit();
      notify('没有修改任何内容', 'info');
      return;
    }
    ed.save.disabled = true;
    try {
      card = await api.patch('/assets/' + card.id, { version: ed.base.version, ...changes });
      editor = null;
      notify('资产卡片已保存');
      drawAll();
      loadHistory();
    } catch (ex) {
      if (ex && ex.status === 409 && /他人修改/.test(ex.message)) {
        showConflict(ex);
      } else if (!ed.form.showServerError(ex)) {
        ed.err.show(ex);
      } else {
        ed.err.show('请按提示修改标红的栏目');
      }
    } finally {
      ed.save.disabled = false;
    }
  }

  // showConflict says that the card changed since the form was opened; the typed values stay.
  function showConflict(ex) {
    const ed = editor;
    replace(ed.conflict,
      h('p', { class: 'conflict-title' }, '保存失败：这张卡片已被他人修改'),
      h('p', null, ex.message),
      h('p', null, '您填写的内容仍保留在下面，没有丢失。请载入最新版本：他人改过、您没动的栏目会换成新值，两人都改过的栏目保留您的内容。'),
      h('div', { class: 'conflict-actions' },
        button('载入最新版本', () => loadLatest(), { kind: 'primary', small: true, action: 'load-latest' })));
    ed.conflict.hidden = false;
    ed.conflict.scrollIntoView({ block: 'nearest' });
  }

  async function loadLatest() {
    const ed = editor;
    let fresh;
    try {
      fresh = await api.get('/assets/' + card.id + (asOf ? '?as_of=' + asOf : ''));
    } catch (ex) {
      ed.err.show(ex);
      return;
    }
    const { adopted, clashes } = ed.form.merge(ed.base, fresh);
    ed.base = fresh;
    card = fresh;
    const lines = [];
    if (adopted.length) lines.push(`他人修改了 ${adopted.join('、')}，您没有改动这些栏目，已换成他人的新值。`);
    if (clashes.length) lines.push(`${clashes.join('、')} 您和他人都修改了：保留了您填写的内容，保存时以您的为准。`);
    if (!lines.length) lines.push('他人修改的内容不在此表单中。');
    lines.push('有变化的栏目已在下方标出。核对无误后再次点击“保存”。');
    replace(ed.conflict,
      h('p', { class: 'conflict-title' }, `已载入最新的第 ${fresh.version} 版，您填写的内容仍保留`),
      lines.map((l) => h('p', null, l)));
    ed.el.querySelector('.form-actions .muted').textContent = `正在编辑第 ${fresh.version} 版`;
    drawHeader();
    drawValue();
    drawPhotos();
    loadHistory();
  }

  // --- 价值与折旧 ---
  function drawValue() {
    const d = card.depreciation || {};
    const b = card.book || {};
    const dateInput = h('input', {
      type: 'date', class: 'input input-date', id: 'asset-as-of', value: asOf || d.as_of || today(),
      'aria-label': '折旧计算日期',
      onchange: (e) => changeAsOf(e.target.value),
    });
    const computed = d.applies
      ? definitionList([
        ['原值', fmtMoney(card.original_value)],
        ['累计折旧', fmtMoney(d.accumulated)],
        ['净值', h('strong', null, fmtMoney(d.net))],
        ['月折旧额', fmtMoney(d.monthly)],
        ['使用年限', `${fmtInt(d.life_months)} 个月（${Math.round(d.life_months / 12)} 年）`],
        ['已计提', d.fully_depreciated
          ? [`${fmtInt(d.months)} 个月 `, tag('已提足折旧', 'neutral')]
          : `${fmtInt(d.months)} 个月，剩余 ${fmtInt(d.remaining_months)} 个月`],
      ])
      : [definitionList([['原值', fmtMoney(card.original_value)], ['净值', fmtMoney(d.net != null ? d.net : card.original_value)]]),
        h('p', { class: 'muted small' }, '该分类不计提折旧（或分类表中没有最低使用年限）。')];
    const hasBook = b.depreciation != null || b.net_value != null;
    let bookPart;
    if (!hasBook) {
      bookPart = h('p', { class: 'muted small' }, '清查表未填写累计折旧和净值。');
    } else {
      const diff = Number(b.difference || 0);
      bookPart = [
        definitionList([
          ['累计折旧', b.depreciation != null ? fmtMoney(b.depreciation) : '未填写'],
          ['净值', b.net_value != null ? fmtMoney(b.net_value) : '未填写'],
        ]),
        b.disagrees
          ? h('div', { class: 'book-warning', id: 'asset-book-warning' },
            tag('与计算结果不一致', 'warning'),
            h('p', { class: 'small' }, diff
              ? `清查表的累计折旧比计算值${diff > 0 ? '多' : '少'} ${fmtMoney(String(b.difference).replace('-', ''))}。请核对原值、取得日期和资产分类，或清查表本身的数字。`
              : '清查表的累计折旧与净值之和不等于原值，请核对清查表。'))
          : h('p', { class: 'small book-ok' }, tag('与计算结果一致', 'success'), ' 相差不超过一个月的折旧额'),
      ];
    }
    replace(valueBody,
      h('div', { class: 'as-of' }, h('label', { class: 'field-label', for: 'asset-as-of' }, '计算日期'), dateInput,
        asOf ? button('回到今天', () => changeAsOf(''), { kind: 'link', action: 'as-of-today' }) : null),
      h('div', { class: 'value-cols' },
        h('div', { class: 'value-col' }, h('h3', { class: 'value-head' }, '按会计准则计算'), computed),
        h('div', { class: 'value-col value-book' }, h('h3', { class: 'value-head' }, '清查表填报'), bookPart)),
      h('p', { class: 'muted small' }, '按《政府会计准则第3号》年限平均法按月计提，不留残值，取得当月起计提。'));
  }

  async function changeAsOf(v) {
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
    asOf = v;
    try {
      const fresh = await api.get('/assets/' + card.id + (v ? '?as_of=' + v : ''));
      card = { ...card, depreciation: fresh.depreciation, book: fresh.book };
      drawValue();
    } catch (ex) {
      notify(messageOf(ex), 'error');
    }
  }

  // --- 照片 ---
  function drawPhotos() {
    const photos = card.photos || [];
    const err = formError();
    const list = photos.length
      ? h('ul', { class: 'photo-list' }, photos.map((p, i) => h('li', { class: 'photo-item', dataset: { photo: String(p.id) } },
        h('button', { type: 'button', class: 'photo-thumb', 'aria-label': `放大查看第 ${i + 1} 张照片`, onclick: () => enlarge(p, i) },
          h('img', { src: p.url, alt: `${card.name}的照片 ${i + 1}`, loading: 'lazy' })),
        card.can_edit ? button('删除', () => removePhoto(p), { kind: 'link-danger', action: 'delete-photo' }) : null)))
      : emptyNote('还没有照片', card.can_edit ? '上传实物照片，便于其他单位了解资产的外观和状况。' : null);
    let upload = null;
    if (card.can_edit) {
      const file = h('input', {
        type: 'file', id: 'asset-photo-file', name: 'file', class: 'visually-hidden', accept: 'image/jpeg,image/png',
        onchange: () => addPhoto(file, err),
      });
      const full = photos.length >= maxPhotos;
      upload = h('div', { class: 'photo-upload' },
        file,
        h('label', { class: ['btn', full && 'btn-disabled'], for: 'asset-photo-file', 'aria-disabled': full ? 'true' : null }, '上传照片'),
        h('span', { class: 'field-hint' }, full ? `已有 ${maxPhotos} 张照片，删除一张后才能再上传。` : `JPEG 或 PNG，每张不超过 5 MB，最多 ${maxPhotos} 张。`),
        err.el);
    }
    replace(photoBody, list, upload);
  }

  async function addPhoto(file, err) {
    err.clear();
    const f = file.files[0];
    if (!f) return;
    const fd = new FormData();
    fd.append('file', f);
    file.disabled = true;
    try {
      await api.upload(`/assets/${card.id}/photos`, fd);
      notify('照片已上传');
      await refresh();
    } catch (ex) {
      err.show(ex && ex.status === 413 && !/MB/.test(ex.message || '') ? '照片超过大小上限，请压缩后上传。' : messageOf(ex));
    } finally {
      file.disabled = false;
      file.value = '';
    }
  }

  function removePhoto(p) {
    confirmAction({
      title: '删除照片', message: '删除后无法恢复。确定删除这张照片吗？', confirmLabel: '删除',
      onConfirm: async () => {
        await api.del(`/assets/${card.id}/photos/${p.id}`);
      },
    }).then(async (done) => {
      if (!done) return;
      notify('照片已删除');
      await refresh();
    });
  }

  function enlarge(p, i) {
    const dlg = h('dialog', { class: 'dialog dialog-photo', 'aria-label': `${card.name}的照片 ${i + 1}` },
      h('div', { class: 'dialog-head' },
        h('h2', { class: 'dialog-title' }, `${card.asset_no} ${card.name} · 照片 ${i + 1}`),
        h('button', { type: 'button', class: 'dialog-close', 'aria-label': '关闭', onclick: () => dlg.close() }, '×')),
      h('div', { class: 'photo-large' }, h('img', { src: p.url, alt: `${card.name}的照片 ${i + 1}` })));
    dlg.addEventListener('click', (e) => { if (e.target === dlg) dlg.close(); });
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
  }

  // --- 变动记录 ---
  async function loadHistory() {
    try {
      const res = await api.get(`/assets/${card.id}/history`);
      if (!root.isConnected) return;
      replace(historyBody, historyList(res.items || [], { names, user }));
    } catch (ex) {
      replace(historyBody, errorBox(ex));
    }
  }

  async function refresh() {
    const fresh = await api.get('/assets/' + card.id + (asOf ? '?as_of=' + asOf : ''));
    card = fresh;
    drawAll();
    loadHistory();
  }

  function drawAll() {
    drawHeader();
    drawInfo();
    drawValue();
    drawPhotos();
  }

  append(root,
    headerHost,
    h('div', { class: 'grid grid-card' },
      infoPanel,
      panel({ title: '价值与折旧', cls: 'asset-value' }, valueBody)),
    panel({ title: '照片', cls: 'asset-photos' }, photoBody),
    panel({ title: '变动记录', cls: 'asset-history' }, historyBody));
  drawAll();
  await loadHistory();
}

