package app

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// DemoAccount is one account the demo created.
type DemoAccount struct {
	Username    string
	DisplayName string
	Role        models.Role
	Unit        string
}

// DemoResult reports what LoadDemo created.
type DemoResult struct {
	Units      int
	Assets     int
	IdleAssets int
	// Requests are the purchase requests filed, most of them matched at once.
	Requests int
	// Password is shared by every demo account; it is random, unlike everything else.
	Password string
	Accounts []DemoAccount
}

// LoadDemo loads a demo district — a high-tech zone administration (高新区管委会) with its
// bureaus, service centre and street offices, one clerk per unit, a finance approver and a few
// thousand asset cards — in one transaction. Everything but the password is generated from
// fixed seeds, so every load produces the same district. It refuses to load twice.
func (a *App) LoadDemo(ctx context.Context) (*DemoResult, error) {
	// bcrypt is slow on purpose: hash once, outside the write transaction, for every demo user.
	pw := NewPassword()
	hash, err := hashPassword(pw)
	if err != nil {
		return nil, err
	}
	today := a.Today()
	res := &DemoResult{Password: pw}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		units := demoUnits()
		if err := demoCheckFree(tx, units); err != nil {
			return err
		}
		minYears, err := demoCategoryLives(tx)
		if err != nil {
			return err
		}
		ids, err := demoCreateUnits(tx, units)
		if err != nil {
			return err
		}
		res.Units = len(ids) + 1 // and the zone itself
		staff := make(map[string][]demoPerson, len(units))
		for _, u := range units {
			staff[u.Code] = demoStaff(demoRand("staff/"+u.Code), u)
		}
		if res.Accounts, err = demoCreateUsers(tx, units, ids, staff, hash); err != nil {
			return err
		}
		g := demoGen{today: today, bookDate: models.DateOf(today.Time().AddDate(0, 0, -today.Day)), minYears: minYears}
		var assets []models.Asset
		for _, u := range units {
			assets = append(assets, g.assets(demoRand("assets/"+u.Code), u, ids[u.Code], staff[u.Code])...)
		}
		for i := range assets {
			if err := assets[i].Validate(today); err != nil {
				return internal(err, "demo asset "+assets[i].AssetNo)
			}
			if assets[i].UsageStatus == models.UsageIdle {
				res.IdleAssets++
			}
		}
		if err := tx.Omit("Unit").CreateInBatches(&assets, 500).Error; err != nil {
			return internal(err, "create demo assets")
		}
		if err := a.demoPhotos(tx, assets); err != nil {
			return err
		}
		// Every card's history starts with its creation, as a card's history does in the app.
		events := make([]models.AuditEvent, len(assets))
		for i := range assets {
			after, err := auditJSON(map[string]any{"asset_no": assets[i].AssetNo, "name": assets[i].Name, "source": "演示数据"})
			if err != nil {
				return err
			}
			events[i] = models.AuditEvent{At: a.now(), Actor: "system", Action: "asset.create", Entity: "asset",
				EntityID: strconv.FormatUint(uint64(assets[i].ID), 10), UnitID: &assets[i].UnitID, After: after}
		}
		if err := tx.CreateInBatches(&events, 500).Error; err != nil {
			return internal(err, "write demo asset history")
		}
		res.Assets = len(assets)
		summary := map[string]any{"units": res.Units, "assets": res.Assets, "idle_assets": res.IdleAssets, "accounts": res.Accounts}
		return a.audit(tx, nil, "demo.load", "demo", demoZone.Code, nil, nil, summary)
	})
	if err != nil {
		return nil, err
	}
	if res.Requests, err = a.loadDemoRequests(ctx); err != nil {
		return nil, err
	}
	// The workflow moved a few idle items into other units' use.
	var idle int64
	if err := a.db.WithContext(ctx).Model(&models.Asset{}).Where("usage_status = ?", models.UsageIdle).Count(&idle).Error; err != nil {
		return nil, internal(err, "count idle")
	}
	res.IdleAssets = int(idle)
	a.log.Info("demo loaded", "units", res.Units, "assets", res.Assets, "idle", res.IdleAssets, "requests", res.Requests)
	return res, nil
}

// demoSeed is the fixed seed of the demo; each part of the demo draws from its own stream
// (demoRand), so adding a unit, an item or a later part (purchase requests, proposals) leaves
// everything already generated unchanged.
const demoSeed = 20261129

// demoRand returns the random stream of one named part of the demo.
func demoRand(part string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(part))
	return rand.New(rand.NewPCG(demoSeed, h.Sum64()))
}

// demoUnit describes one unit of the demo district and its clerk.
type demoUnit struct {
	Code, Name, Area string
	Staff            int
	// Since is the year the unit was set up (the reforms of 2017–2019 created several bureaus):
	// it has no asset card acquired before.
	Since int
	// Username is the clerk's account; the clerk is the first person of Depts[0].
	Username string
	Depts    []string
	// Building prefixes room numbers ("A座5楼503室"); Floors are the floors the unit occupies.
	Building string
	Floors   [2]int
	// Extra adds cards of a category regardless of staff (servers of a unit with a machine room).
	Extra map[string]int
	// BookValues: the unit's spreadsheet carries 累计折旧 and 净值 (as of the end of the previous
	// month, when it was drawn up); BookLag 1 means its bookkeeper starts depreciating the month
	// after acquisition, so its figures disagree slightly with assetpool's.
	BookValues bool
	BookLag    int
}

// demoZone is the top unit, the supervising department of every other demo unit. It keeps no
// register of its own (its offices' assets are on 党政办公室's books) and has no clerk.
var demoZone = demoUnit{Code: "GXQ", Name: "高新区管委会", Area: "管委会机关"}

const demoFinanceUser, demoFinanceName = "caizheng", "周敏"

// demoStreetDepts are the offices of every street office (街道办事处).
var demoStreetDepts = []string{"党政办公室", "经济发展办公室", "社会事务办公室", "城市管理办公室", "平安建设办公室", "便民服务中心"}

// demoBureauDepts returns a bureau's departments: 办公室 first, then its own.
func demoBureauDepts(own ...string) []string { return append([]string{"办公室"}, own...) }

// demoUnits lists the units below the zone, in the order they are created.
func demoUnits() []demoUnit {
	return []demoUnit{
		{Code: "GXQ-DZB", Name: "党政办公室", Area: "管委会机关", Staff: 46, Since: 2012, Username: "dangzheng",
			Depts: []string{"综合科", "秘书科", "机要科", "信息科", "后勤保障科"}, Building: "管委会大楼A座", Floors: [2]int{2, 3},
			Extra: map[string]int{demoCatServer: 4}},
		{Code: "GXQ-JFJ", Name: "经济发展局", Area: "管委会机关", Staff: 38, Since: 2012, Username: "jingfa",
			Depts: demoBureauDepts("综合科", "工业发展科", "商贸服务科", "统计科"), Building: "管委会大楼A座", Floors: [2]int{5, 5}},
		{Code: "GXQ-TCJ", Name: "投资促进局", Area: "管委会机关", Staff: 30, Since: 2012, Username: "touchu",
			Depts: demoBureauDepts("招商一科", "招商二科", "项目服务科"), Building: "管委会大楼A座", Floors: [2]int{6, 6}},
		{Code: "GXQ-CJJ", Name: "财政金融局", Area: "管委会机关", Staff: 42, Since: 2012, Username: "caijin",
			Depts: demoBureauDepts("预算科", "国库科", "资产科", "金融服务科", "会计核算中心"), Building: "管委会大楼A座", Floors: [2]int{7, 8},
			Extra: map[string]int{demoCatServer: 2}, BookValues: true},
		{Code: "GXQ-GTJ", Name: "国土住建局", Area: "管委会机关", Staff: 56, Since: 2012, Username: "guotu",
			Depts: demoBureauDepts("规划科", "土地管理科", "建设管理科", "房产管理科", "质量安全监督站"), Building: "管委会大楼B座", Floors: [2]int{3, 5},
			Extra: map[string]int{demoCatServer: 1}, BookValues: true},
		{Code: "GXQ-SPJ", Name: "行政审批局", Area: "管委会机关", Staff: 48, Since: 2017, Username: "shenpi",
			Depts: demoBureauDepts("审批一科", "审批二科", "政务服务科", "窗口服务部"), Building: "政务服务中心", Floors: [2]int{1, 3},
			Extra: map[string]int{demoCatServer: 2}},
		{Code: "GXQ-KCJ", Name: "科技创新局", Area: "管委会机关", Staff: 24, Since: 2019, Username: "kechuang",
			Depts: demoBureauDepts("科技项目科", "人才服务科", "知识产权科"), Building: "管委会大楼B座", Floors: [2]int{6, 6}},
		{Code: "GXQ-ZFJ", Name: "综合执法局", Area: "管委会机关", Staff: 78, Since: 2012, Username: "zhifa",
			Depts: demoBureauDepts("法制科", "执法一中队", "执法二中队", "执法三中队"), Building: "综合执法大楼", Floors: [2]int{1, 4},
			Extra: map[string]int{demoCatServer: 1}},
		{Code: "GXQ-YJJ", Name: "应急管理局", Area: "管委会机关", Staff: 22, Since: 2019, Username: "yingji",
			Depts: demoBureauDepts("安全监管科", "应急救援科", "防灾减灾科"), Building: "管委会大楼B座", Floors: [2]int{7, 7}},
		{Code: "GXQ-SWZX", Name: "社会事务综合服务中心", Area: "兴城街道", Staff: 62, Since: 2012, Username: "shewu",
			Depts: []string{"综合部", "社会保障部", "民政服务部", "卫生健康部", "文体服务部"}, Building: "社会事务服务中心", Floors: [2]int{1, 4}},
		{Code: "GXQ-XRJD", Name: "兴仁街道", Area: "兴仁街道", Staff: 74, Since: 2012, Username: "xingren",
			Depts: demoStreetDepts, Building: "兴仁街道办公楼", Floors: [2]int{1, 4}},
		{Code: "GXQ-XCJD", Name: "兴城街道", Area: "兴城街道", Staff: 68, Since: 2012, Username: "xingcheng",
			Depts: demoStreetDepts, Building: "兴城街道办公楼", Floors: [2]int{1, 5}, BookValues: true, BookLag: 1},
		{Code: "GXQ-ZFJD", Name: "张范街道", Area: "张范街道", Staff: 60, Since: 2012, Username: "zhangfan",
			Depts: demoStreetDepts, Building: "张范街道办公楼", Floors: [2]int{1, 3}},
	}
}

// prefix is the unit's part of its asset numbers: GXQ-JFJ numbers its cards JFJ-2019-0012.
func (u demoUnit) prefix() string { return strings.TrimPrefix(u.Code, demoZone.Code+"-") }

func (u demoUnit) isStreet() bool { return strings.HasSuffix(u.Name, "街道") }

// demoCheckFree refuses to load the demo a second time, or over units and users of the same codes
// and names, and changes nothing.
func demoCheckFree(tx *gorm.DB, units []demoUnit) error {
	codes := []string{demoZone.Code}
	names := []string{demoFinanceUser}
	for _, u := range units {
		codes = append(codes, u.Code)
		names = append(names, u.Username)
	}
	var taken []models.Unit
	if err := tx.Where("code IN ?", codes).Order("id").Limit(1).Find(&taken).Error; err != nil {
		return internal(err, "check demo units")
	}
	if len(taken) > 0 {
		return models.Errorf(models.EConflict, "演示数据已经载入过了（单位 %s「%s」已存在），不能重复载入；要重新开始，请用一个新的数据库文件（--db）", taken[0].Code, taken[0].Name)
	}
	var users []string
	if err := tx.Model(&models.User{}).Where("username IN ?", names).Order("username").Pluck("username", &users).Error; err != nil {
		return internal(err, "check demo users")
	}
	if len(users) > 0 {
		return models.Errorf(models.EConflict, "演示数据需要的用户名已被占用：%s；请用一个新的数据库文件（--db）载入演示数据", strings.Join(users, "、"))
	}
	return nil
}

// demoCategoryLives checks that every category the demo uses is in the category table (the
// administrator may have replaced the sample) and returns their minimum useful lives.
func demoCategoryLives(tx *gorm.DB) (map[string]int, error) {
	var codes []string
	for _, it := range demoItems() {
		codes = append(codes, it.Category)
	}
	var cats []models.Category
	if err := tx.Where("code IN ?", codes).Find(&cats).Error; err != nil {
		return nil, internal(err, "load demo categories")
	}
	lives := make(map[string]int, len(cats))
	for _, c := range cats {
		lives[c.Code] = c.MinYears
	}
	var missing []string
	for _, c := range codes {
		if _, ok := lives[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, models.Errorf(models.EConflict, "分类表中缺少演示数据用到的分类：%s；演示数据需要自带的示例分类表", strings.Join(missing, "、"))
	}
	return lives, nil
}

// demoCreateUnits creates the zone and its units and returns their ids by code.
func demoCreateUnits(tx *gorm.DB, units []demoUnit) (map[string]uint, error) {
	top := models.Unit{Code: demoZone.Code, Name: demoZone.Name, Area: demoZone.Area}
	if err := tx.Omit("Parent").Create(&top).Error; err != nil {
		return nil, internal(err, "create demo zone")
	}
	rows := make([]models.Unit, len(units))
	for i, u := range units {
		rows[i] = models.Unit{Code: u.Code, Name: u.Name, ParentID: &top.ID, Area: u.Area, Staff: u.Staff}
		if err := rows[i].Validate(); err != nil {
			return nil, internal(err, "demo unit "+u.Code)
		}
	}
	if err := tx.Omit("Parent").Create(&rows).Error; err != nil {
		return nil, internal(err, "create demo units")
	}
	ids := make(map[string]uint, len(rows))
	for _, r := range rows {
		ids[r.Code] = r.ID
	}
	return ids, nil
}

// demoCreateUsers creates the finance approver and one clerk per unit, all with the same hash.
func demoCreateUsers(tx *gorm.DB, units []demoUnit, ids map[string]uint, staff map[string][]demoPerson, hash string) ([]DemoAccount, error) {
	users := []models.User{{Username: demoFinanceUser, DisplayName: demoFinanceName, Role: models.RoleFinance}}
	accounts := []DemoAccount{{Username: demoFinanceUser, DisplayName: demoFinanceName, Role: models.RoleFinance, Unit: "财政金融局资产科（全区）"}}
	for _, u := range units {
		id := ids[u.Code]
		clerk := staff[u.Code][0].Name
		users = append(users, models.User{Username: u.Username, DisplayName: clerk, Role: models.RoleClerk, UnitID: &id})
		accounts = append(accounts, DemoAccount{Username: u.Username, DisplayName: clerk, Role: models.RoleClerk, Unit: u.Name})
	}
	for i := range users {
		users[i].PasswordHash, users[i].Active = hash, true
		if err := users[i].Validate(); err != nil {
			return nil, internal(err, "demo user "+users[i].Username)
		}
	}
	if err := tx.Omit("Unit").Create(&users).Error; err != nil {
		return nil, internal(err, "create demo users")
	}
	return accounts, nil
}

// demoPerson is one member of a unit's staff: custodian of their computer and chair.
type demoPerson struct{ Name, Dept, Room string }

var (
	demoSurnames   = strings.Fields("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 武 戴 孔 汤")
	demoGivenNames = strings.Fields(`伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 婷 雪 宇 浩 斌 辉 鹏 飞 琳 颖 倩 慧
		晶 亮 凯 鑫 蕾 燕 萍 波 宁 帆 俊 毅 峰 丹 玲 红 华 梅 建国 志强 建华 文华 海涛 晓明 晓燕 丽娟 秀英 桂英 玉兰 春梅
		海燕 雪梅 思远 子涵 雨萱 浩然 宇航 佳怡 欣怡 梓涵 一鸣 晨曦 俊杰 文静 晓东 立新 卫东 红梅 振华 国庆 建军 志刚 永强
		海波 丽华 美玲 婷婷 丹丹 文博 天宇 嘉欣 思琪 晓雯 佳琪 雅婷 博文 子轩 明轩 宏伟 立军 春燕 秋菊 晓丽 艳红 慧敏 志红
		晓峰 伟东 金凤 素芳 秀兰 建平 建伟 新华 爱华 光明 德明 正阳 立群 淑芬 亚楠 梦瑶 思雨 雨桐 晓光 学军 国华 云飞 凤英
		翠兰 旭东 卫国 海军 江涛 家豪 新宇 梓萱 若曦 文杰 少华`)
)

// demoStaff returns the unit's staff, each with a distinct name, a department and an office
// room; the first is the clerk, in the first department (办公室 or 综合科).
func demoStaff(rng *rand.Rand, u demoUnit) []demoPerson {
	seen := map[string]bool{}
	people := make([]demoPerson, 0, u.Staff)
	rooms := map[string][]string{}
	for _, d := range u.Depts {
		fl := u.Floors[0] + rng.IntN(u.Floors[1]-u.Floors[0]+1)
		first := 1 + rng.IntN(12)
		for r := range 2 + rng.IntN(3) {
			rooms[d] = append(rooms[d], fmt.Sprintf("%d楼%d%02d室", fl, fl, first+r))
		}
	}
	for len(people) < u.Staff {
		name := demoSurnames[rng.IntN(len(demoSurnames))] + demoGivenNames[rng.IntN(len(demoGivenNames))]
		if seen[name] {
			continue
		}
		seen[name] = true
		d := u.Depts[0]
		if len(people) > 0 {
			d = u.Depts[rng.IntN(len(u.Depts))]
		}
		people = append(people, demoPerson{Name: name, Dept: d, Room: rooms[d][rng.IntN(len(rooms[d]))]})
	}
	return people
}

// The categories of the sample table (categories.csv) the demo uses; only item-level codes.
const (
	demoCatServer       = "A02010104"
	demoCatDesktop      = "A02010105"
	demoCatLaptop       = "A02010108"
	demoCatColorPrinter = "A02021004"
	demoCatShredder     = "A02021301"
	demoCatAirCon       = "A02061804"
	demoCatTV           = "A02091001"
	demoCatOfficeChair  = "A05010301"
	demoCatMeetingChair = "A05010303"
	demoCatBookcase     = "A05010501"
	demoCatFileCabinet  = "A05010502"
)

// demoModel is one brand and model of an item, the years units bought it and its unit price.
type demoModel struct {
	Brand, Model string
	// Name replaces the item's name when the model decides it (挂式空调 or 柜式空调).
	Name     string
	From, To int // years it was bought
	Min, Max int // unit price in yuan
	Weight   int
}

// demoPlace says where an item stands.
type demoPlace int

const (
	demoAtOffice  demoPlace = iota // a room of the custodian's department
	demoAtMeeting                  // a meeting room, in the clerk's keeping
	demoAtMachine                  // the machine room
)

// demoItem is the template of one kind of asset card.
type demoItem struct {
	Category string
	// Names and Measures: each unit's clerk keeps to one of them, as real registers do.
	Names    []string
	Measures []string
	// PerStaff cards per member of staff (older generations not yet disposed of included), plus
	// PerUnit cards in every unit.
	PerStaff float64
	PerUnit  int
	// BatchP is the chance that a card holds several pieces, Qty their range.
	BatchP   float64
	Qty      [2]int
	Personal bool // assigned to one person (computers, office chairs)
	Place    demoPlace
	Serial   bool // equipment has serial numbers, furniture has none
	Lendable bool
	Models   []demoModel
}

// demoItems is the table of item templates the demo draws asset cards from.
func demoItems() []demoItem {
	return []demoItem{
		{Category: demoCatDesktop, Names: []string{"台式计算机", "台式电脑", "计算机", "电脑（台式）"}, Measures: []string{"台"},
			PerStaff: 1.6, Qty: [2]int{1, 1}, Personal: true, Serial: true, Lendable: true, Models: []demoModel{
				{Brand: "联想", Model: "启天 M4500", From: 2012, To: 2014, Min: 4300, Max: 5000, Weight: 3},
				{Brand: "戴尔", Model: "OptiPlex 3020", From: 2013, To: 2016, Min: 4200, Max: 4900, Weight: 3},
				{Brand: "联想", Model: "启天 M415", From: 2016, To: 2019, Min: 4500, Max: 5000, Weight: 4},
				{Brand: "惠普", Model: "ProDesk 480 G4", From: 2017, To: 2019, Min: 4600, Max: 5000, Weight: 2},
				{Brand: "联想", Model: "ThinkCentre M720t", From: 2018, To: 2020, Min: 4800, Max: 5600, Weight: 4},
				{Brand: "戴尔", Model: "OptiPlex 7070", From: 2019, To: 2021, Min: 4900, Max: 5800, Weight: 2},
				{Brand: "长城", Model: "世恒 TD120A2", From: 2020, To: 2022, Min: 5200, Max: 6000, Weight: 2},
				{Brand: "戴尔", Model: "OptiPlex 7090", From: 2021, To: 2023, Min: 5200, Max: 6000, Weight: 3},
				{Brand: "联想", Model: "开天 M630Z", From: 2021, To: 2025, Min: 5500, Max: 6000, Weight: 4},
				{Brand: "华为", Model: "擎云 W515x", From: 2022, To: 2025, Min: 5600, Max: 6000, Weight: 3},
			}},
		{Category: demoCatLaptop, Names: []string{"便携式计算机", "笔记本电脑", "笔记本计算机"}, Measures: []string{"台"},
			PerStaff: 0.35, Qty: [2]int{1, 1}, Personal: true, Serial: true, Lendable: true, Models: []demoModel{
				{Brand: "戴尔", Model: "Latitude E5430", From: 2012, To: 2014, Min: 5600, Max: 6800, Weight: 2},
				{Brand: "联想", Model: "ThinkPad E431", From: 2013, To: 2015, Min: 5200, Max: 6200, Weight: 2},
				{Brand: "惠普", Model: "ProBook 440 G3", From: 2015, To: 2017, Min: 5300, Max: 6300, Weight: 2},
				{Brand: "联想", Model: "昭阳 K43c", From: 2016, To: 2018, Min: 5200, Max: 6200, Weight: 2},
				{Brand: "联想", Model: "ThinkPad E470", From: 2017, To: 2018, Min: 5500, Max: 6500, Weight: 2},
				{Brand: "戴尔", Model: "Latitude 3490", From: 2018, To: 2020, Min: 5600, Max: 6600, Weight: 2},
				{Brand: "华为", Model: "MateBook 14", From: 2020, To: 2023, Min: 6200, Max: 6999, Weight: 3},
				{Brand: "联想", Model: "ThinkPad E14", From: 2020, To: 2023, Min: 5800, Max: 6800, Weight: 3},
				{Brand: "联想", Model: "昭阳 K4e", From: 2021, To: 2024, Min: 5600, Max: 6600, Weight: 2},
				{Brand: "华为", Model: "擎云 L420", From: 2022, To: 2025, Min: 6500, Max: 6999, Weight: 3},
			}},
		{Category: demoCatColorPrinter, Names: []string{"A4彩色打印机", "彩色激光打印机", "彩色打印机", "打印机"}, Measures: []string{"台"},
			PerStaff: 0.45, Qty: [2]int{1, 1}, Serial: true, Lendable: true, Models: []demoModel{
				{Brand: "惠普", Model: "LaserJet Pro CP1025nw", From: 2012, To: 2014, Min: 1800, Max: 2300, Weight: 2},
				{Brand: "佳能", Model: "LBP7100Cn", From: 2012, To: 2015, Min: 2000, Max: 2600, Weight: 2},
				{Brand: "惠普", Model: "Color LaserJet Pro M452dn", From: 2015, To: 2019, Min: 3300, Max: 3900, Weight: 3},
				{Brand: "爱普生", Model: "L4168", From: 2018, To: 2021, Min: 1500, Max: 1900, Weight: 1},
				{Brand: "惠普", Model: "Color LaserJet Pro M254dw", From: 2018, To: 2021, Min: 2300, Max: 2900, Weight: 3},
				{Brand: "兄弟", Model: "HL-L8260CDN", From: 2019, To: 2023, Min: 3500, Max: 4300, Weight: 2},
				{Brand: "惠普", Model: "Color LaserJet Pro M454dn", From: 2020, To: 2024, Min: 3800, Max: 4500, Weight: 3},
				{Brand: "奔图", Model: "CP2500DN", From: 2021, To: 2025, Min: 2600, Max: 3200, Weight: 3},
			}},
		{Category: demoCatShredder, Names: []string{"碎纸机"}, Measures: []string{"台"},
			PerStaff: 0.08, Qty: [2]int{1, 1}, Serial: true, Models: []demoModel{
				{Brand: "得力", Model: "9905", From: 2012, To: 2017, Min: 500, Max: 800, Weight: 3},
				{Brand: "科密", Model: "C-338", From: 2016, To: 2021, Min: 700, Max: 1100, Weight: 2},
				{Brand: "得力", Model: "9935", From: 2019, To: 2025, Min: 600, Max: 950, Weight: 3},
			}},
		{Category: demoCatAirCon, Names: []string{"空调机"}, Measures: []string{"台"},
			PerStaff: 0.4, PerUnit: 1, Qty: [2]int{1, 1}, Serial: true, Models: []demoModel{
				{Brand: "格力", Model: "KFR-35GW", Name: "挂式空调", From: 2012, To: 2025, Min: 2800, Max: 3800, Weight: 6},
				{Brand: "格力", Model: "KFR-26GW", Name: "挂式空调", From: 2012, To: 2025, Min: 2400, Max: 3200, Weight: 2},
				{Brand: "美的", Model: "KFR-35GW/BP3DN8Y", Name: "挂式空调", From: 2016, To: 2025, Min: 2600, Max: 3400, Weight: 4},
				{Brand: "海尔", Model: "KFR-35GW/05EDS83", Name: "挂式空调", From: 2014, To: 2023, Min: 2500, Max: 3300, Weight: 2},
				{Brand: "格力", Model: "KFR-72LW", Name: "柜式空调", From: 2012, To: 2025, Min: 7500, Max: 9800, Weight: 2},
				{Brand: "美的", Model: "KFR-51LW", Name: "柜式空调", From: 2015, To: 2025, Min: 5500, Max: 6800, Weight: 1},
				{Brand: "格力", Model: "KFR-120LW", Name: "柜式空调（5匹）", From: 2013, To: 2024, Min: 13000, Max: 16000, Weight: 1},
			}},
		{Category: demoCatTV, Names: []string{"电视机", "液晶电视机", "液晶电视"}, Measures: []string{"台"},
			PerStaff: 0.03, PerUnit: 1, Qty: [2]int{1, 1}, Place: demoAtMeeting, Serial: true, Models: []demoModel{
				{Brand: "创维", Model: "55E388A", From: 2013, To: 2016, Min: 3500, Max: 4500, Weight: 2},
				{Brand: "海信", Model: "LED55EC500U", From: 2016, To: 2018, Min: 3800, Max: 4800, Weight: 2},
				{Brand: "小米", Model: "L65M5-AZ", From: 2018, To: 2021, Min: 4000, Max: 5200, Weight: 2},
				{Brand: "索尼", Model: "KD-75X8000H", From: 2020, To: 2022, Min: 9800, Max: 12500, Weight: 1},
				{Brand: "海信", Model: "75E3H", From: 2022, To: 2025, Min: 6000, Max: 8000, Weight: 2},
				{Brand: "TCL", Model: "75Q10G", From: 2022, To: 2025, Min: 8500, Max: 11000, Weight: 1},
			}},
		{Category: demoCatServer, Names: []string{"服务器", "机架式服务器"}, Measures: []string{"台", "套"},
			Qty: [2]int{1, 1}, Place: demoAtMachine, Serial: true, Models: []demoModel{
				{Brand: "戴尔", Model: "PowerEdge R730", From: 2015, To: 2018, Min: 38000, Max: 60000, Weight: 2},
				{Brand: "浪潮", Model: "NF5270M5", From: 2018, To: 2021, Min: 32000, Max: 50000, Weight: 2},
				{Brand: "华为", Model: "FusionServer 2288H V5", From: 2018, To: 2021, Min: 35000, Max: 55000, Weight: 2},
				{Brand: "联想", Model: "ThinkSystem SR650", From: 2019, To: 2022, Min: 40000, Max: 70000, Weight: 1},
				{Brand: "新华三", Model: "UniServer R4900 G3", From: 2019, To: 2023, Min: 45000, Max: 80000, Weight: 1},
				{Brand: "华为", Model: "TaiShan 200 2280", From: 2021, To: 2025, Min: 55000, Max: 80000, Weight: 2},
			}},
		{Category: demoCatOfficeChair, Names: []string{"办公椅", "职员椅", "办公座椅"}, Measures: []string{"把"},
			PerStaff: 0.8, BatchP: 0.45, Qty: [2]int{2, 20}, Personal: true, Lendable: true, Models: []demoModel{
				{Brand: "圣奥", Model: "网布中背 可升降扶手", From: 2012, To: 2025, Min: 300, Max: 600, Weight: 4},
				{Brand: "黎明", Model: "职员椅 网布", From: 2012, To: 2025, Min: 300, Max: 500, Weight: 3},
				{Brand: "震旦", Model: "人体工学椅 网背", From: 2016, To: 2025, Min: 600, Max: 900, Weight: 2},
				{Brand: "永艺", Model: "皮质中班椅", From: 2012, To: 2025, Min: 600, Max: 800, Weight: 2},
				{Brand: "得力", Model: "网布职员椅", From: 2015, To: 2025, Min: 300, Max: 450, Weight: 2},
			}},
		{Category: demoCatMeetingChair, Names: []string{"会议椅", "会议室座椅"}, Measures: []string{"把"},
			PerStaff: 0.02, PerUnit: 2, BatchP: 1, Qty: [2]int{10, 40}, Place: demoAtMeeting, Lendable: true, Models: []demoModel{
				{Brand: "圣奥", Model: "弓形会议椅 皮面", From: 2012, To: 2025, Min: 300, Max: 500, Weight: 3},
				{Brand: "黎明", Model: "四脚会议椅 网布", From: 2012, To: 2025, Min: 200, Max: 400, Weight: 3},
				{Brand: "震旦", Model: "培训椅 带写字板", From: 2015, To: 2025, Min: 250, Max: 450, Weight: 2},
			}},
		{Category: demoCatBookcase, Names: []string{"书柜", "书橱"}, Measures: []string{"组", "个"},
			PerStaff: 0.3, BatchP: 0.4, Qty: [2]int{2, 6}, Models: []demoModel{
				{Brand: "黎明", Model: "木质三门书柜 1200×400×2000", From: 2012, To: 2025, Min: 1200, Max: 2000, Weight: 3},
				{Brand: "得力", Model: "钢制玻璃门书柜 900×400×1800", From: 2012, To: 2025, Min: 900, Max: 1400, Weight: 3},
				{Brand: "圣奥", Model: "板式书柜 800×400×2000", From: 2016, To: 2025, Min: 1000, Max: 1600, Weight: 2},
			}},
		{Category: demoCatFileCabinet, Names: []string{"文件柜", "铁皮文件柜", "档案柜"}, Measures: []string{"组", "个"},
			PerStaff: 0.55, BatchP: 0.5, Qty: [2]int{2, 10}, Models: []demoModel{
				{Brand: "得力", Model: "钢制对开门 900×400×1850", From: 2012, To: 2025, Min: 700, Max: 1100, Weight: 4},
				{Brand: "花都", Model: "钢制上玻下铁 900×400×1850", From: 2012, To: 2025, Min: 800, Max: 1200, Weight: 3},
				{Brand: "黎明", Model: "木质四门文件柜", From: 2014, To: 2025, Min: 1300, Max: 1800, Weight: 1},
			}},
	}
}

// demoGen generates asset cards; its fields are the same for every unit.
type demoGen struct {
	today models.Date
	// bookDate is the date of the book figures some units' spreadsheets carry: the end of the
	// previous month, so that a correct register agrees with assetpool within a month's charge
	// and the card's disagreement flag shows only real errors.
	bookDate models.Date
	minYears map[string]int
}

const demoFirstYear, demoLastYear = 2012, 2025

var (
	demoIdleNotes = []string{"人员调离后闲置", "更换新设备后闲置", "机构调整后闲置", "科室合并后闲置", "会议室改造后闲置", "", ""}
	demoLentTo    = []string{"兴仁社区居委会", "兴城社区居委会", "张范社区居委会", "东湖社区居委会", "新区第一小学", "区政务服务中心"}
	demoStores    = []string{"1楼库房", "地下室库房", "1楼储物间"}
	demoDonors    = []string{"辖区企业捐赠", "中国移动高新区分公司捐赠", "联想集团捐赠", "爱心企业捐赠"}
)

// assets generates the unit's asset cards, numbered per year in order of acquisition.
func (g demoGen) assets(rng *rand.Rand, u demoUnit, unitID uint, staff []demoPerson) []models.Asset {
	serialRate := 0.55 + 0.45*rng.Float64() // how carefully this clerk records serial numbers
	var out []models.Asset
	for _, it := range demoItems() {
		n := int(math.Round(it.PerStaff*float64(u.Staff)*(0.85+0.3*rng.Float64()))) + it.PerUnit + u.Extra[it.Category]
		name := it.Names[rng.IntN(len(it.Names))]
		measure := it.Measures[rng.IntN(len(it.Measures))]
		ms := demoModelsFor(it, u)
		if len(ms) == 0 {
			continue
		}
		for range n {
			as := g.card(rng, u, it, demoPick(rng, ms), staff)
			if as.Name == "" {
				as.Name = name
			}
			as.MeasureUnit = measure
			if !it.Serial || rng.Float64() > serialRate {
				as.SerialNo = ""
			}
			as.UnitID = unitID
			out = append(out, as)
		}
	}
	slices.SortStableFunc(out, func(x, y models.Asset) int { return x.AcquiredOn.Time().Compare(y.AcquiredOn.Time()) })
	seq := map[int]int{}
	for i := range out {
		y := out[i].AcquiredOn.Year
		seq[y]++
		out[i].AssetNo = fmt.Sprintf("%s-%d-%04d", u.prefix(), y, seq[y])
	}
	if u.BookValues {
		for i := range out {
			g.bookValues(&out[i], u.BookLag)
		}
	}
	g.showcase(demoRand("showcase/"+u.Code), u, out, staff[0])
	return out
}

var (
	// demoRefurbished are the units whose meeting room was refurbished: its chairs stand idle.
	demoRefurbished = map[string]bool{"GXQ-JFJ": true, "GXQ-SPJ": true, "GXQ-XRJD": true}
	// demoUnusedNotes are remarks of cards a unit lists as in use and says are not used.
	demoUnusedNotes = []string{"长期未使用", "基本不用", "人员调离后未使用"}
)

// showcase changes a few of the unit's cards so that the demo shows what assetpool does with a
// register: batches of which only part is offered in the pool, and cards that the
// worth-checking list (值得核实) and the book check catch. It draws from its own stream, so the
// generated cards stay as they were.
func (g demoGen) showcase(rng *rand.Rand, u demoUnit, out []models.Asset, clerk demoPerson) {
	inUse := func(ok func(*models.Asset) bool) []int {
		var idx []int
		for i := range out {
			if out[i].UsageStatus == models.UsageInUse && ok(&out[i]) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	pick := func(idx []int, n int) []int {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		return idx[:min(n, len(idx))]
	}
	// An idle batch often stays partly with the unit: the rest is offered.
	for i := range out {
		as := &out[i]
		if as.UsageStatus == models.UsageIdle && as.Quantity >= 4 && models.PoolConditionOK(as.Condition, false) && rng.IntN(2) == 0 {
			as.OfferedQuantity = as.Quantity - 1 - rng.IntN(as.Quantity/3)
		}
	}
	if demoRefurbished[u.Code] {
		for _, i := range pick(inUse(func(as *models.Asset) bool { return as.CategoryCode == demoCatMeetingChair }), 1) {
			as := &out[i]
			as.UsageStatus, as.Condition, as.IdleSince = models.UsageIdle, models.ConditionUsable, g.idleSince(rng, as.AcquiredOn)
			as.Department, as.Custodian, as.Location = clerk.Dept, clerk.Name, u.Building+demoStores[0]
			as.Remarks, as.OfferedQuantity = "会议室改造后闲置，留用 4 把", as.Quantity-4
		}
	}
	// Spare equipment registered as in use, kept in the store room.
	spare := inUse(func(as *models.Asset) bool {
		return slices.Contains([]string{demoCatLaptop, demoCatColorPrinter, demoCatShredder, demoCatTV}, as.CategoryCode)
	})
	for _, i := range pick(spare, 1+rng.IntN(2)) {
		as := &out[i]
		as.Department, as.Custodian = clerk.Dept, clerk.Name
		as.Location, as.Remarks = u.Building+demoStores[rng.IntN(2)], "备用"
	}
	// In use by the status column, unused by the remarks, upload after upload.
	for _, i := range pick(inUse(func(as *models.Asset) bool { return as.Custodian != "" && as.Remarks == "" }), 1+rng.IntN(2)) {
		out[i].Remarks = demoUnusedNotes[rng.IntN(len(demoUnusedNotes))]
		out[i].UnchangedImports = 2 + rng.IntN(3)
	}
	// A card the bookkeeper never depreciated: the card flags its book figures.
	if u.BookValues && u.BookLag == 0 {
		for _, i := range pick(inUse(func(as *models.Asset) bool {
			return as.BookDepreciation != nil && *as.BookDepreciation > 0 && g.today.Year-as.AcquiredOn.Year >= 3
		}), 1) {
			dep, net := models.Money(0), out[i].OriginalValue
			out[i].BookDepreciation, out[i].BookNetValue, out[i].BookDate = &dep, &net, g.bookDate
		}
	}
}

// demoModelsFor returns the models of an item the unit can have bought since it was set up.
func demoModelsFor(it demoItem, u demoUnit) []demoModel {
	var ms []demoModel
	for _, m := range it.Models {
		if m.To >= max(u.Since, demoFirstYear) {
			ms = append(ms, m)
		}
	}
	return ms
}

func demoPick(rng *rand.Rand, ms []demoModel) demoModel {
	total := 0
	for _, m := range ms {
		total += m.Weight
	}
	r := rng.IntN(total)
	for _, m := range ms {
		if r -= m.Weight; r < 0 {
			return m
		}
	}
	return ms[len(ms)-1]
}

// card generates one asset card of model m (without its number).
func (g demoGen) card(rng *rand.Rand, u demoUnit, it demoItem, m demoModel, staff []demoPerson) models.Asset {
	clerk := staff[0]
	from, to := max(m.From, u.Since, demoFirstYear), min(m.To, demoLastYear)
	acq := models.Date{Year: from + rng.IntN(to-from+1), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
	if g.today.Before(acq) {
		acq = g.today
	}
	qty := 1
	if rng.Float64() < it.BatchP {
		qty = it.Qty[0] + rng.IntN(it.Qty[1]-it.Qty[0]+1)
	}
	price := m.Min + rng.IntN((m.Max-m.Min)/10+1)*10
	if price > m.Min && rng.IntN(4) == 0 {
		price-- // 4,999.00 rather than 5,000.00
	}
	as := models.Asset{
		Name: m.Name, CategoryCode: it.Category, Quantity: qty,
		OriginalValue: models.Money(price*qty) * 100, AcquiredOn: acq,
		AcquisitionMethod: "新购", FundingSource: "财政拨款",
		UsageStatus: models.UsageInUse, Condition: models.ConditionUsable,
		Brand: m.Brand, Model: m.Model, SerialNo: demoSerial(rng, m.Brand), Version: 1,
	}
	switch r := rng.Float64(); {
	case u.Since > demoFirstYear && acq.Year == u.Since && r < 0.5:
		as.AcquisitionMethod, as.FundingSource, as.Remarks = "调拨", "", "机构组建时由管委会调入"
	case r < 0.06:
		as.AcquisitionMethod, as.FundingSource = "调拨", ""
		as.Remarks = "由" + []string{"党政办公室", "经济发展局", "国土住建局", "兴仁街道", "市级机关事务管理局"}[rng.IntN(5)] + "调入"
	case r < 0.08 && it.Category != demoCatServer:
		as.AcquisitionMethod, as.FundingSource, as.Remarks = "接受捐赠", "", demoDonors[rng.IntN(len(demoDonors))]
	case r < 0.09 && it.Category == demoCatServer:
		as.FundingSource = "信息化专项资金"
	}
	if it.Category == demoCatDesktop && as.Remarks == "" && rng.IntN(5) == 0 {
		as.Remarks = "含显示器"
	}

	// Who has it and where.
	p := staff[rng.IntN(len(staff))]
	as.Department, as.Custodian, as.Location = p.Dept, p.Name, u.Building+p.Room
	switch it.Place {
	case demoAtMeeting:
		fl := u.Floors[0] + rng.IntN(u.Floors[1]-u.Floors[0]+1)
		as.Department, as.Custodian = clerk.Dept, clerk.Name
		as.Location = u.Building + fmt.Sprintf("%d楼%s", fl, []string{"会议室", "小会议室", "大会议室"}[rng.IntN(3)])
	case demoAtMachine:
		as.Department, as.Custodian = u.Depts[min(1, len(u.Depts)-1)], clerk.Name
		as.Location = u.Building + fmt.Sprintf("%d楼机房", u.Floors[1])
	}
	if !it.Personal && it.Place == demoAtOffice && rng.IntN(3) == 0 {
		as.Custodian = "" // shared by the office: many registers name nobody
	}
	g.status(rng, &as, u, it, clerk)
	return as
}

// status decides usage status and condition: most cards in use; older ones idle or awaiting
// disposal more often; lending and leasing are rare.
func (g demoGen) status(rng *rand.Rand, as *models.Asset, u demoUnit, it demoItem, clerk demoPerson) {
	age := g.today.Year - as.AcquiredOn.Year
	life := g.minYears[as.CategoryCode]
	store := func() {
		if rng.IntN(2) == 0 {
			as.Department, as.Custodian = clerk.Dept, clerk.Name
			as.Location = u.Building + demoStores[rng.IntN(len(demoStores))]
		}
	}
	pDispose := 0.004
	if life > 0 && age >= life {
		pDispose = 0.12
	}
	pIdle := 0.08 + 0.01*float64(min(age, 8))
	r := rng.Float64()
	switch {
	case r < pDispose:
		as.UsageStatus = models.UsagePendingDisposal
		as.Condition = []models.Condition{models.ConditionScrap, models.ConditionScrap, models.ConditionSalvage, models.ConditionSalvage, models.ConditionRepairable}[rng.IntN(5)]
		as.Remarks = "损坏严重，维修不经济，拟报废"
		if life > 0 && age >= life {
			as.Remarks = "已超最低使用年限且无法修复，拟报废"
		}
		store()
	case r < pDispose+pIdle:
		as.UsageStatus = models.UsageIdle
		as.Condition = models.ConditionUsable
		switch c := rng.IntN(20); {
		case c < 2 || c < 5 && age <= 1:
			as.Condition = models.ConditionNew
		case c >= 17:
			as.Condition = models.ConditionRepairable
		}
		as.IdleSince = g.idleSince(rng, as.AcquiredOn)
		if note := demoIdleNotes[rng.IntN(len(demoIdleNotes))]; note != "" && as.Remarks == "" {
			as.Remarks = note
		}
		store()
	case r < pDispose+pIdle+0.01:
		as.UsageStatus, as.Condition = models.UsageUnderRepair, models.ConditionRepairable
		as.Remarks = "送厂家维修"
	case r < pDispose+pIdle+0.02 && it.Lendable:
		as.UsageStatus = models.UsageLent
		as.Remarks = "借给" + demoLentTo[rng.IntN(len(demoLentTo))] + "使用"
	case r < pDispose+pIdle+0.03 && u.isStreet() && !it.Personal && it.Category != demoCatServer:
		as.UsageStatus = models.UsageLeased
		as.Remarks = "随办公用房出租给辖区企业"
	default:
		if age >= 6 && rng.IntN(25) == 0 {
			as.Condition = models.ConditionRepairable
		}
	}
}

// idleSince returns the day an asset acquired on acq fell idle: after acquisition, not after
// today, mostly within the last two or three years.
func (g demoGen) idleSince(rng *rand.Rand, acq models.Date) models.Date {
	days := int(g.today.Time().Sub(acq.Time()).Hours() / 24)
	if days <= 0 {
		return g.today
	}
	back := rng.IntN(min(days, 1100) + 1)
	return models.DateOf(g.today.Time().AddDate(0, 0, -back))
}

// bookValues fills the book figures as the unit's spreadsheet gives them, as of the last
// annual count: its ledger's fixed monthly charge from the month of acquisition (or lag
// months later), no residual value (政府会计准则第3号).
func (g demoGen) bookValues(as *models.Asset, lag int) {
	years := g.minYears[as.CategoryCode]
	if years <= 0 {
		return
	}
	c := models.Asset{OriginalValue: as.OriginalValue, AcquiredOn: as.AcquiredOn, Quantity: 1}
	d := c.Schedule(models.ClassLife{Depreciated: true, Years: years}, models.DateOf(g.bookDate.Time().AddDate(0, -lag, 0)))
	dep, net := d.Accumulated, d.Net
	as.BookDepreciation, as.BookNetValue, as.BookDate = &dep, &net, g.bookDate
}

// demoSerial returns a serial number in the style of the brand: '#' a digit, '@' a letter,
// '*' either.
func demoSerial(rng *rand.Rand, brand string) string {
	pattern := map[string]string{
		"联想": "PF@*****", "戴尔": "*******", "惠普": "CN#@*####@", "华为": "2102#########@####",
		"长城": "GW##########", "浪潮": "21########", "新华三": "210235A*#@#########",
		"格力": "#############", "美的": "5############-##", "海尔": "DA#############",
		"创维": "@##########", "海信": "##########@", "小米": "#####/########", "索尼": "#######", "TCL": "##########",
		"佳能": "@@@#####", "兄弟": "E#####@#@######", "爱普生": "X@*#######", "奔图": "CP######", "得力": "##########", "科密": "C##########",
	}[brand]
	if pattern == "" {
		pattern = "**********"
	}
	const digits, letters = "0123456789", "ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := []byte(pattern)
	for i, c := range b {
		switch c {
		case '#':
			b[i] = digits[rng.IntN(len(digits))]
		case '@':
			b[i] = letters[rng.IntN(len(letters))]
		case '*':
			all := digits + letters
			b[i] = all[rng.IntN(len(all))]
		}
	}
	return string(b)
}
