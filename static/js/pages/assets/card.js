// card.js draws one asset card (#/assets/{id}): the header with its status, 基本信息 (edited in
// place by the unit's clerk), 价值与折旧 as of a day the user picks — the card's books (账面: the
// unit's stated figures rolled forward month by month, or the schedule where it states none)
// beside the schedule computed from the acquisition date (the check), with 账账不符 where they
// differ by more than a month's charge and the clerk's 账务调整 — 照片 and 变动记录. A save
// carries the version the clerk saw; when someone else saved first, the form stays as typed,
// says so, and offers to load the latest version.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, tag, definitionList, emptyNote, errorBox, notify, messageOf, confirmAction,
  formError, field, openDialog, FormError,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import {
  usageTag, conditionTag, poolTag, loadCategories, categoryNames, listHash, labelsHref, today, toFen, fenToYuan,
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
  const valuePanel = panel({ title: '价值与折旧', cls: 'asset-value' }, valueBody);
  const valueActions = h('div', { class: 'panel-actions' });
  valuePanel.querySelector('.panel-head').append(valueActions);
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
      // A card received by transfer is dated the transfer; the item is as old as its first
      // acquisition, which age and the minimum-life checks count from.
      card.first_acquired_on && card.first_acquired_on !== card.acquired_on ? ['原始取得日期', card.first_acquired_on] : null,
      ['已使用', ageText(card.first_acquired_on || card.acquired_on)],
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
    replace(infoBody, h('div', { class: 'deflist-2' }, definitionList(pairs.filter(Boolean))));
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
    replace(valueActions, card.can_edit ? button('账务调整', adjustBooks, { small: true, action: 'books-adjust' }) : null);
    const dateInput = h('input', {
      type: 'date', class: 'input input-date', id: 'asset-as-of', value: asOf || d.as_of || today(),
      'aria-label': '折旧计算日期',
      onchange: (e) => changeAsOf(e.target.value),
    });
    let body;
    if (!d.applies) {
      body = [definitionList([['原值', fmtMoney(card.original_value)], ['净值', fmtMoney(d.net != null ? d.net : card.original_value)]]),
        h('p', { class: 'muted small' }, '该分类不计提折旧。')];
    } else if (d.undetermined) {
      body = [definitionList([['原值', fmtMoney(card.original_value)], ['净值', fmtMoney(d.net)]]),
        h('p', { class: 'book-warning', id: 'asset-life-undetermined' }, tag('年限未定', 'warning'),
          h('span', { class: 'small' }, ' 分类表没有规定该分类的最低使用年限，卡片也没有填写折旧年限：填写使用年限后才按月计提折旧。'))];
    } else {
      body = [
        h('div', { class: 'value-cols' },
          h('div', { class: 'value-col value-books', id: 'asset-books' },
            h('h3', { class: 'value-head' }, '账面'),
            h('p', { class: 'muted small value-source' }, bookSource(b)),
            definitionList([
              ['原值', fmtMoney(card.original_value)],
              ['累计折旧', h('span', { dataset: { figure: 'accumulated' } }, fmtMoney(d.accumulated))],
              ['净值', h('strong', { dataset: { figure: 'net' } }, fmtMoney(d.net))],
              ['月折旧额', fmtMoney(d.monthly)],
              ['使用年限', monthsText(d.life_months)],
              chargedPair(d),
            ])),
          h('div', { class: 'value-col value-book value-schedule', id: 'asset-schedule' },
            h('h3', { class: 'value-head' }, '按取得日期计算'),
            h('p', { class: 'muted small value-source' }, `按取得日期 ${card.acquired_on} 和使用年限逐月计算，作为核对`),
            definitionList([
              ['累计折旧', h('span', { dataset: { figure: 'schedule-accumulated' } }, fmtMoney((card.schedule || {}).accumulated))],
              ['净值', h('span', { dataset: { figure: 'schedule-net' } }, fmtMoney((card.schedule || {}).net))],
            ]))),
        bookCheck(b),
      ];
    }
    replace(valueBody,
      h('div', { class: 'as-of' }, h('label', { class: 'field-label', for: 'asset-as-of' }, '计算日期'), dateInput,
        asOf ? button('回到今天', () => changeAsOf(''), { kind: 'link', action: 'as-of-today' }) : null),
      body,
      h('p', { class: 'muted small' }, '按《政府会计准则第3号》年限平均法按月计提，不留残值，取得当月起计提；月折旧额固定，最后一个月计提余额。账面以单位财务账为准（账账相符），调拨按调出单位的账面价值入账。'));
  }

  // chargedPair says how much of the life is charged, or, for a card received fully
  // depreciated, that it arrived so: its receiver charged none of it.
  function chargedPair(d) {
    const op = Number(card.opening_depreciation || 0);
    if (d.fully_depreciated && !d.months && op > 0 && op >= Number(card.original_value)) {
      return ['计提情况', [tag('接收时已提足折旧', 'neutral'), ' 本单位不再计提']];
    }
    return ['已计提', d.fully_depreciated
      ? [`${fmtInt(d.months)} 个月 `, tag('已提足折旧', 'neutral')]
      : `${fmtInt(d.months)} 个月，剩余 ${fmtInt(d.remaining_months)} 个月`];
  }

  // bookCheck compares the books with the schedule: 账账不符 with the difference where they
  // differ by more than one month's charge, 账账相符 otherwise; nothing to compare where the
  // books are the schedule.
  function bookCheck(b) {
    if (!b.stated) return null;
    const diff = Number(b.difference || 0);
    const amount = fmtMoney(String(b.difference).replace('-', ''));
    if (b.disagrees) {
      return h('div', { class: 'book-warning', id: 'asset-book-warning' },
        tag('账账不符', 'warning'),
        h('p', { class: 'small' }, diff
          ? `账面累计折旧比按取得日期计算的${diff > 0 ? '多' : '少'} ${amount}，超过一个月的折旧额。请核对单位财务账、原值、取得日期和使用年限；确有差错时用“账务调整”更正。调拨时按账面价值入账，财政审批时会看到两组数字。`
          : '单位填报的累计折旧与净值之和不等于原值，请核对单位财务账，用“账务调整”更正。'));
    }
    return h('p', { class: 'small book-ok', id: 'asset-book-ok' }, tag('账账相符', 'success'),
      diff ? ` 账面与按取得日期计算的相差 ${amount}，不超过一个月的折旧额` : ' 账面与按取得日期计算的一致');
  }

  // adjustBooks is the clerk's correction (账务调整): onto the unit's ledger as of a day, or onto
  // the schedule, with a reason; it is kept in the card's history.
  function adjustBooks() {
    const b = card.book || {};
    const d = card.depreciation || {};
    const lastMonthEnd = prevMonthEnd(today());
    const accInput = h('input', {
      class: 'input input-money', name: 'accumulated', type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00',
      value: b.depreciation != null ? String(b.depreciation) : '',
    });
    const netOut = h('span', { class: 'books-adjust-net', id: 'books-adjust-net' });
    const showNet = () => {
      const fen = toFen(accInput.value);
      const orig = toFen(card.original_value);
      replace(netOut, Number.isNaN(fen) || Number.isNaN(orig) ? '' : `净值 = 原值 ${fmtMoney(card.original_value)} − 累计折旧 = ${fmtMoney((orig - fen < 0 ? '-' : '') + fenToYuan(Math.abs(orig - fen)))}`);
    };
    accInput.addEventListener('input', showNet);
    showNet();
    const stated = h('div', { class: 'books-adjust-stated' },
      field('账面累计折旧（元）', accInput, { required: true }),
      netOut,
      field('截至日期', h('input', { class: 'input input-date', name: 'as_of', type: 'date', value: lastMonthEnd, max: today() }),
        { hint: '单位财务账上这一数字所在的日期，默认上月末；此后按月折旧额逐月滚动' }));
    const mode = (value, label, hint, disabled) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: 'mode', value, checked: value === 'stated', disabled, onchange: sync }),
      h('span', null, label),
      h('span', { class: 'field-hint' }, hint));
    function sync() {
      const form = stated.closest('form');
      const on = !form || form.elements.mode.value === 'stated';
      stated.hidden = !on;
    }
    return openDialog({
      title: `账务调整：${card.asset_no} ${card.name}`,
      name: 'books-adjust',
      submitLabel: '保存调整',
      body: [
        h('p', { class: 'dialog-note' }, '账面以单位财务账为准（账账相符）。调整后的账面数从截至日期起按月折旧额滚动，调拨时按账面价值入账；调整和原因记入变动记录。'),
        h('dl', { class: 'proposal-summary' },
          h('div', { class: 'proposal-summary-row' }, h('dt', null, '现在的账面累计折旧'), h('dd', null, fmtMoney(d.accumulated))),
          h('div', { class: 'proposal-summary-row' }, h('dt', null, '按取得日期计算'), h('dd', null, fmtMoney((card.schedule || {}).accumulated)))),
        h('div', { class: 'field field-check books-adjust-modes', role: 'radiogroup', 'aria-label': '调整方式' },
          mode('stated', '按单位财务账的数', '填写单位财务账上的累计折旧及其日期'),
          mode('schedule', '按取得日期计算', b.stated ? '清除单位填报的累计折旧和净值，账面改为按取得日期和使用年限计算的数' : '本卡片没有单位填报的数，账面已按取得日期计算', !b.stated)),
        stated,
        field('调整原因', h('textarea', { class: 'input input-area', name: 'reason', rows: '3', maxlength: '500', placeholder: '如：按单位财务账 10 月末数更正；清查核实取得日期后按计算数入账' }), { required: true }),
      ],
      onSubmit: async (form) => {
        const el = form.elements;
        const reason = el.reason.value.trim();
        const body = { version: card.version, mode: el.mode.value, reason };
        if (body.mode === 'stated') {
          const fen = toFen(el.accumulated.value);
          if (Number.isNaN(fen)) throw new FormError('请填写账面累计折旧，如 1200 或 1,250.50');
          body.accumulated_depreciation = fenToYuan(fen);
          if (el.as_of.value) body.as_of = el.as_of.value;
        }
        if (!reason) throw new FormError('请填写调整原因');
        return api.post(`/assets/${card.id}/books`, body);
      },
    }).then((fresh) => {
      if (!fresh) return;
      card = fresh;
      asOf = '';
      notify('账务调整已保存');
      drawAll();
      loadHistory();
    });
  }

  async function changeAsOf(v) {
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
    asOf = v;
    try {
      const fresh = await api.get('/assets/' + card.id + (v ? '?as_of=' + v : ''));
      card = { ...card, depreciation: fresh.depreciation, schedule: fresh.schedule, book: fresh.book };
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
      valuePanel),
    panel({ title: '照片', cls: 'asset-photos' }, photoBody),
    panel({ title: '变动记录', cls: 'asset-history' }, historyBody));
  drawAll();
  await loadHistory();
}

// bookSource says where the books come from: the unit's figures as of a day, rolled forward,
// or the schedule where the unit states none.
function bookSource(b) {
  if (!b.stated) return '单位未填报账面数：账面即按取得日期计算的数';
  const figures = [b.depreciation != null ? `累计折旧 ${fmtMoney(b.depreciation)}` : null, b.net_value != null ? `净值 ${fmtMoney(b.net_value)}` : null]
    .filter(Boolean).join('，');
  return b.stated_on
    ? `截至 ${b.stated_on} 单位账面数，按月折旧额滚动（${figures}）`
    : `单位填报的账面数（${figures}，未注明截至日期）`;
}

// monthsText writes a life in months, with its years: 72 个月（6 年）, 30 个月（2 年 6 个月）.
function monthsText(n) {
  const m = Number(n || 0);
  if (m >= 12) return `${fmtInt(m)} 个月（${m % 12 ? `${Math.floor(m / 12)} 年 ${m % 12} 个月` : `${m / 12} 年`}）`;
  return `${fmtInt(m)} 个月`;
}

// ageText is how long the item has been in service since the day given, as the pool counts
// it: whole months between the two months.
function ageText(since) {
  const m = /^(\d{4})-(\d{2})-\d{2}$/.exec(since || '');
  if (!m) return '';
  const [y, mo] = today().split('-').map(Number);
  const months = (y - Number(m[1])) * 12 + mo - Number(m[2]);
  if (months < 0) return '';
  return months >= 12 ? `${Math.floor(months / 12)} 年 ${months % 12} 个月` : `${months} 个月`;
}

// prevMonthEnd is the last day of the month before day (YYYY-MM-DD).
function prevMonthEnd(day) {
  const [y, m] = day.split('-').map(Number);
  const d = new Date(y, m - 1, 0);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
