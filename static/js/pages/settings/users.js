// users.js is the 用户 tab of 系统设置: accounts with create, edit, password reset and delete.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  panel, dataTable, toolbar, searchBox, button, field, input, select, openDialog, confirmAction,
  notify, tableFooter, tag, FormError,
} from '../../ui.js';
import { fmtInt, fmtDate, roleLabels } from '../../format.js';

const roleOptions = Object.entries(roleLabels).map(([value, label]) => ({ value, label }));

export async function render(root, { user: me }) {
  let users = [];
  let units = [];
  let text = '';
  let role = '';
  const list = h('div', { class: 'list' });

  async function load() {
    const [us, un] = await Promise.all([api.get('/users'), api.get('/units')]);
    users = us.items;
    units = un.items;
    draw();
  }

  function draw() {
    const q = text.toLowerCase();
    const rows = users.filter((u) => (!role || u.role === role) && (!q ||
      u.username.toLowerCase().includes(q) || (u.display_name || '').includes(text) || (u.unit && u.unit.name.includes(text))));
    const active = rows.filter((u) => u.active).length;
    replace(list,
      dataTable({
        columns: [
          { label: '用户名', value: (u) => h('span', { class: 'mono' }, u.username) },
          { label: '姓名', value: (u) => [h('span', null, u.display_name || '—'), u.id === me.id ? tag('当前账号', 'info') : null] },
          { label: '角色', value: (u) => u.role_label || roleLabels[u.role] || u.role },
          { label: '所属单位', value: (u) => (u.unit ? u.unit.name : '—') },
          { label: '状态', value: (u) => (u.active ? tag('启用', 'success') : tag('停用', 'neutral')) },
          { label: '创建日期', value: (u) => fmtDate(u.created_at), cls: 'nowrap' },
          {
            label: '操作', cls: 'actions', width: 'actions-wide',
            value: (u) => [
              button('编辑', () => edit(u), { kind: 'link', action: 'edit-user' }),
              button('重置密码', () => resetPassword(u), { kind: 'link', action: 'reset-password' }),
              u.id === me.id ? null : button('删除', () => remove(u), { kind: 'link-danger', action: 'delete-user' }),
            ],
          },
        ],
        rows,
        rowKey: (u) => u.username,
        empty: users.length ? '没有符合条件的用户' : '还没有任何用户',
      }),
      tableFooter(`共 ${fmtInt(rows.length)} 个用户`, `其中启用 ${fmtInt(active)} 个`));
  }

  async function edit(user) {
    const creating = !user;
    const u = user || { username: '', display_name: '', role: 'clerk', unit_id: null, active: true };
    const unitOptions = [{ value: '', label: '请选择所属单位' }, ...units.map((x) => ({ value: x.id, label: `${x.name}（${x.code}）` }))];
    const roleSelect = select('role', roleOptions, u.role);
    const unitField = field('所属单位', select('unit_id', unitOptions, u.unit_id || ''), { required: true, hint: '单位资产管理员只能查看和维护本单位的资产' });
    const syncUnit = () => { unitField.hidden = roleSelect.value !== 'clerk'; };
    roleSelect.addEventListener('change', syncUnit);
    syncUnit();
    const saved = await openDialog({
      title: creating ? '新增用户' : `编辑用户：${u.username}`,
      name: 'user',
      submitLabel: creating ? '创建' : '保存',
      body: h('div', { class: 'form-grid' },
        creating
          ? field('用户名', input('username', { maxlength: '64', autocapitalize: 'off', spellcheck: 'false' }), { required: true, hint: '用于登录，2–64 位字母、数字、点、下划线或连字符' })
          : field('用户名', input('username', { value: u.username, readonly: true, class: 'input input-readonly' }), { hint: '用户名创建后不能修改' }),
        field('姓名', input('display_name', { value: u.display_name || '', maxlength: '100' })),
        field('角色', roleSelect, { required: true }),
        unitField,
        creating ? field('初始密码', input('password', { type: 'password', autocomplete: 'new-password' }), { required: true, hint: '至少 8 位。请当面或电话告知用户，并提醒其登录后修改。' }) : null,
        h('div', { class: 'field field-check' },
          h('label', { class: 'check' },
            h('input', { type: 'checkbox', name: 'active', checked: u.active }),
            h('span', null, '启用账号'),
            h('span', { class: 'field-hint' }, '停用后该用户不能登录，已登录的会话立即失效')))),
      onSubmit: async (form) => {
        const el = form.elements;
        const r = el.role.value;
        const unitId = r === 'clerk' && el.unit_id.value ? Number(el.unit_id.value) : null;
        if (creating) {
          if (!el.username.value.trim()) throw new FormError('请填写用户名');
          return api.post('/users', {
            username: el.username.value.trim(), display_name: el.display_name.value.trim(), role: r,
            unit_id: unitId, password: el.password.value, active: el.active.checked,
          });
        }
        return api.patch('/users/' + u.id, {
          display_name: el.display_name.value.trim(), role: r, unit_id: unitId || 0, active: el.active.checked,
        });
      },
    });
    if (saved) {
      notify(creating ? `已创建用户“${saved.username}”` : `已保存用户“${saved.username}”`);
      await load();
    }
  }

  async function resetPassword(u) {
    const pw = input('password', { type: 'password', autocomplete: 'new-password' });
    const again = input('password_again', { type: 'password', autocomplete: 'new-password' });
    const done = await openDialog({
      title: `重置密码：${u.display_name || u.username}`,
      name: 'reset-password',
      submitLabel: '重置密码',
      body: [
        h('p', { class: 'dialog-note' }, '重置后该用户已登录的会话全部失效，需要用新密码重新登录。'),
        field('新密码', pw, { required: true, hint: '至少 8 位' }),
        field('再次输入新密码', again, { required: true }),
      ],
      onSubmit: async () => {
        if (!pw.value) throw new FormError('请输入新密码');
        if (pw.value !== again.value) throw new FormError('两次输入的新密码不一致');
        return api.patch('/users/' + u.id, { password: pw.value });
      },
    });
    if (done) notify(`已重置“${u.username}”的密码`);
  }

  async function remove(u) {
    const done = await confirmAction({
      title: '删除用户',
      message: `确定删除用户“${u.username}”（${u.display_name || '未填姓名'}）吗？删除后不能恢复；如只是暂时不用，可以改为停用。`,
      onConfirm: () => api.del('/users/' + u.id),
    });
    if (done) {
      notify(`已删除用户“${u.username}”`);
      await load();
    }
  }

  append(root, panel({ cls: 'panel-flush' },
    toolbar([
      searchBox('按用户名、姓名或单位查找', (v) => { text = v; draw(); }),
      select('role_filter', [{ value: '', label: '全部角色' }, ...roleOptions], '', {
        'aria-label': '按角色筛选', onchange: (e) => { role = e.target.value; draw(); },
      }),
    ], button('新增用户', () => edit(null), { kind: 'primary', action: 'new-user' })),
    list));
  await load();
}
