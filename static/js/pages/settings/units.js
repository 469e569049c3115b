// units.js is the 单位 tab of 系统设置: the list of units with create, edit and delete.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  panel, dataTable, toolbar, searchBox, button, field, input, select, openDialog, confirmAction,
  notify, tableFooter, FormError,
} from '../../ui.js';
import { fmtInt } from '../../format.js';

export async function render(root) {
  let units = [];
  let text = '';
  const list = h('div', { class: 'list' });

  async function load() {
    units = (await api.get('/units')).items;
    draw();
  }

  function parentName(u) {
    const p = u.parent_id && units.find((x) => x.id === u.parent_id);
    return p ? p.name : '—';
  }

  function draw() {
    const q = text.toLowerCase();
    const rows = units.filter((u) => !q || u.name.includes(text) || u.code.toLowerCase().includes(q) || (u.area || '').includes(text));
    replace(list,
      dataTable({
        columns: [
          { label: '单位代码', value: (u) => h('span', { class: 'mono' }, u.code), width: 'code' },
          { label: '单位名称', value: (u) => u.name },
          { label: '主管部门', value: parentName },
          { label: '所在街道/片区', value: (u) => u.area || '—' },
          { label: '编制人数', value: (u) => fmtInt(u.staff), num: true, width: 'num' },
          {
            label: '操作', cls: 'actions', width: 'actions',
            value: (u) => [
              button('编辑', () => edit(u), { kind: 'link', action: 'edit-unit' }),
              button('删除', () => remove(u), { kind: 'link-danger', action: 'delete-unit' }),
            ],
          },
        ],
        rows,
        rowKey: (u) => u.code,
        empty: units.length ? '没有符合条件的单位' : '还没有任何单位。点击右上角“新增单位”添加第一个单位。',
      }),
      tableFooter(`共 ${fmtInt(rows.length)} 个单位`));
  }

  // descendants returns the ids of u and every unit below it: none of them can be its parent.
  function descendants(u) {
    const out = new Set([u.id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const x of units) {
        if (x.parent_id && out.has(x.parent_id) && !out.has(x.id)) {
          out.add(x.id);
          grew = true;
        }
      }
    }
    return out;
  }

  async function edit(unit) {
    const creating = !unit;
    const u = unit || { code: '', name: '', parent_id: null, area: '', staff: 0 };
    const banned = creating ? new Set() : descendants(u);
    const parents = [{ value: '', label: '无（一级单位）' },
      ...units.filter((x) => !banned.has(x.id)).map((x) => ({ value: x.id, label: `${x.name}（${x.code}）` }))];
    const areas = [...new Set(units.map((x) => x.area).filter(Boolean))];
    const areaList = h('datalist', { id: 'unit-areas' }, areas.map((a) => h('option', { value: a })));
    const saved = await openDialog({
      title: creating ? '新增单位' : `编辑单位：${u.name}`,
      name: 'unit',
      submitLabel: creating ? '创建' : '保存',
      body: [
        h('div', { class: 'form-grid' },
          field('单位代码', input('code', { value: u.code, maxlength: '64' }), { required: true, hint: '全区唯一，如统一社会信用代码或内部编号' }),
          field('单位名称', input('name', { value: u.name, maxlength: '200' }), { required: true }),
          field('主管部门', select('parent_id', parents, u.parent_id || '')),
          field('所在街道/片区', input('area', { value: u.area || '', list: 'unit-areas', maxlength: '100' }), { hint: '调剂时优先匹配同一片区的单位' }),
          field('编制人数', input('staff', { type: 'number', min: '0', step: '1', value: String(u.staff || 0), inputmode: 'numeric' }))),
        areaList,
      ],
      onSubmit: async (form) => {
        const v = Object.fromEntries(['code', 'name', 'parent_id', 'area', 'staff'].map((k) => [k, form.elements[k].value.trim()]));
        if (!/^\d*$/.test(v.staff)) throw new FormError('编制人数须为不小于 0 的整数');
        const body = { code: v.code, name: v.name, area: v.area, staff: Number(v.staff || 0) };
        if (creating) {
          body.parent_id = v.parent_id ? Number(v.parent_id) : null;
          return api.post('/units', body);
        }
        body.parent_id = v.parent_id ? Number(v.parent_id) : 0; // 0 clears the parent
        return api.patch('/units/' + u.id, body);
      },
    });
    if (saved) {
      notify(creating ? `已创建单位“${saved.name}”` : `已保存单位“${saved.name}”`);
      await load();
    }
  }

  async function remove(u) {
    const done = await confirmAction({
      title: '删除单位',
      message: `确定删除单位“${u.name}”（${u.code}）吗？删除后不能恢复。还有用户、资产卡片或下级单位的单位不能删除。`,
      onConfirm: () => api.del('/units/' + u.id),
    });
    if (done) {
      notify(`已删除单位“${u.name}”`);
      await load();
    }
  }

  append(root, panel({ cls: 'panel-flush' },
    toolbar(searchBox('按单位名称、代码或片区查找', (v) => { text = v; draw(); }),
      button('新增单位', () => edit(null), { kind: 'primary', action: 'new-unit' })),
    list));
  await load();
}
