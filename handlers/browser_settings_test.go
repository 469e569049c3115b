package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"assetpool/models"
)

func TestBrowserAdminCreatesUnit(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("admin", testPassword)
	b.waitText("#page h1", "系统设置")
	b.waitText("#page table", "经济发展局")
	b.shot("admin-units")

	b.click(`button[data-action="new-unit"]`)
	form := `form[data-form="unit"]`
	b.waitVisible(form)
	b.fill(form+` input[name="code"]`, "UC")
	b.fill(form+` input[name="name"]`, "城市管理局")
	b.chooseLabel(form+` select[name="parent_id"]`, "经济发展局")
	b.fill(form+` input[name="area"]`, "管委会机关")
	b.fill(form+` input[name="staff"]`, "42")
	b.shot("admin-unit-dialog")
	b.click(form + ` button[type="submit"]`)
	b.waitGone(form)
	b.waitText(`#page tr[data-key="UC"]`, "城市管理局")
	b.waitText(`#page tr[data-key="UC"]`, "42")
	b.waitText(`#page tr[data-key="UC"]`, "经济发展局") // its parent

	u, err := f.app.UnitByCode(context.Background(), "UC")
	if err != nil {
		t.Fatalf("unit UC not stored: %v", err)
	}
	if u.Name != "城市管理局" || u.Staff != 42 || u.ParentID == nil || *u.ParentID != f.unitA.ID {
		t.Errorf("stored unit = %+v; want 城市管理局, staff 42, parent %d", u, f.unitA.ID)
	}

	// A duplicate code is refused with the API's message inside the form, which stays open.
	b.click(`button[data-action="new-unit"]`)
	b.waitVisible(form)
	b.fill(form+` input[name="code"]`, "UC")
	b.fill(form+` input[name="name"]`, "重复的单位")
	b.click(form + ` button[type="submit"]`)
	b.waitText(form+` .form-error`, "单位代码 UC 已存在")
	b.click(form + ` button[data-action="cancel"]`)
	b.waitGone(form)

	// Editing clears the parent; deleting asks first and then removes the row.
	b.click(`#page tr[data-key="UC"] button[data-action="edit-unit"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="parent_id"]`, "")
	b.click(form + ` button[type="submit"]`)
	b.waitGone(form)
	if u, _ := f.app.UnitByCode(context.Background(), "UC"); u == nil || u.ParentID != nil {
		t.Errorf("parent not cleared: %+v", u)
	}
	b.click(`#page tr[data-key="UA"] button[data-action="delete-unit"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText(`form[data-form="confirm"] .form-error`, "不能删除") // UA still has users
	b.click(`form[data-form="confirm"] button[data-action="cancel"]`)
	b.click(`#page tr[data-key="UC"] button[data-action="delete-unit"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitGone(`#page tr[data-key="UC"]`)
}

func TestBrowserAdminCreatesClerk(t *testing.T) {
	f := newFixture(t)
	unit := &models.Unit{Code: "UC", Name: "城市管理局", Area: "管委会机关", Staff: 42}
	if err := f.app.CreateUnit(context.Background(), nil, unit); err != nil {
		t.Fatalf("create unit: %v", err)
	}
	b := newBrowser(t, f)
	b.login("admin", testPassword)
	b.open("/#/settings/users")
	b.waitText(`#page table`, "clerkA")

	form := `form[data-form="user"]`
	b.click(`button[data-action="new-user"]`)
	b.waitVisible(form)
	b.fill(form+` input[name="username"]`, "chengguan")
	b.fill(form+` input[name="display_name"]`, "赵资产")
	b.choose(form+` select[name="role"]`, "clerk")
	// No unit yet: the API's rule comes back next to the form.
	b.fill(form+` input[name="password"]`, "first-pass-123")
	b.click(form + ` button[type="submit"]`)
	b.waitText(form+` .form-error`, "单位资产管理员必须指定所属单位")
	b.chooseLabel(form+` select[name="unit_id"]`, "城市管理局")
	b.shot("admin-user-dialog")
	b.click(form + ` button[type="submit"]`)
	b.waitGone(form)
	b.waitText(`#page tr[data-key="chengguan"]`, "城市管理局")
	b.waitText(`#page tr[data-key="chengguan"]`, "单位资产管理员")
	b.waitText(`#page tr[data-key="chengguan"]`, "启用")
	b.shot("admin-users")

	u, err := f.app.UserByUsername(context.Background(), "chengguan")
	if err != nil {
		t.Fatalf("user not stored: %v", err)
	}
	if u.Role != models.RoleClerk || u.UnitID == nil || *u.UnitID != unit.ID || u.DisplayName != "赵资产" || !u.Active {
		t.Errorf("stored user = %+v; want an active clerk of unit %d", u, unit.ID)
	}

	// The new clerk signs in and sees their unit.
	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")
	b.login("chengguan", "first-pass-123")
	b.waitText("header.topbar", "城市管理局")
	b.waitText("#page", "还没有导入资产台账")
}

func TestBrowserAdminCategories(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.login("admin", testPassword)
	b.open("/#/settings/categories")
	b.waitText(`#page table`, "台式计算机")
	b.waitText(`#page .table-footer`, "个分类")
	b.shot("admin-categories")
	// Upload without a file: the message is shown next to the form.
	b.click(`button[data-action="upload-categories"]`)
	b.waitText(`#category-upload .form-error`, "请先选择")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	writeFile(t, bad, "分类代码,分类名称,上级代码\nB01,,\n")
	writeFile(t, good, "分类代码,分类名称,上级代码,最低使用年限\nA02000000,设备,,\nA02010105,台式计算机,A02000000,6\nA02010199,平板电脑,A02000000,6\n")

	// A bad file: nothing changes and the API's Chinese message is shown next to the form.
	b.upload("#category-file", bad)
	b.waitText("#category-upload", "bad.csv")
	b.click(`button[data-action="upload-categories"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText(`#category-upload .form-error`, "B01")
	b.waitText(`#page tbody`, "房屋和构筑物")

	// A good file replaces the table and the result counts are shown.
	b.upload("#category-file", good)
	b.click(`button[data-action="upload-categories"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText(`#category-upload .alert-success`, "新增 1 个")
	b.waitText(`#page tbody`, "平板电脑")
	b.waitText(`#page .table-footer`, "共 3 个分类")
	if s := b.text("#page tbody"); strings.Contains(s, "房屋和构筑物") {
		t.Errorf("old categories still listed after replacing the table")
	}
	b.shot("admin-categories-replaced")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSessionEndedShowsLogin(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("admin", testPassword)
	b.waitText("#page table", "经济发展局")
	// Another administrator resets this one's password: every session of theirs ends.
	if err := f.app.SetPassword(context.Background(), nil, "admin", "another-pass-77"); err != nil {
		t.Fatalf("set password: %v", err)
	}
	form := `form[data-form="unit"]`
	b.click(`button[data-action="new-unit"]`)
	b.waitVisible(form)
	b.fill(form+` input[name="code"]`, "UZ")
	b.fill(form+` input[name="name"]`, "测试单位")
	b.click(form + ` button[type="submit"]`)
	b.waitVisible("#login-form")
	b.waitGone("dialog[open]")
	b.waitText(".login-card .alert-warning", "登录已失效，请重新登录")
}
