package app

// importField is a column of the asset card that an inventory sheet can carry; its value is the
// key used in the API's column mapping.
type importField string

// The columns of an inventory sheet, as the import maps them.
const (
	fieldAssetNo           importField = "asset_no"
	fieldName              importField = "name"
	fieldCategory          importField = "category"
	fieldQuantity          importField = "quantity"
	fieldMeasureUnit       importField = "measure_unit"
	fieldOriginalValue     importField = "original_value"
	fieldUnitPrice         importField = "unit_price" // original value = unit price × quantity when no 原值 column exists
	fieldAcquiredOn        importField = "acquired_on"
	fieldAcquisitionMethod importField = "acquisition_method"
	fieldDepreciation      importField = "accumulated_depreciation"
	fieldNetValue          importField = "net_value"
	fieldUsageStatus       importField = "usage_status"
	fieldCondition         importField = "condition"
	fieldDepartment        importField = "department"
	fieldCustodian         importField = "custodian"
	fieldLocation          importField = "location"
	fieldModel             importField = "model"
	fieldBrand             importField = "brand"
	fieldSerialNo          importField = "serial_no"
	fieldFundingSource     importField = "funding_source"
	fieldRemarks           importField = "remarks"
)

// fieldDef describes one importable column: the header our template and exports write, whether a
// new card needs it, and the header variants seen in real registers (domain.md).
type fieldDef struct {
	Key      importField
	Header   string
	Required bool
	Money    bool
	Variants []string
	// Hint tells the clerk what to write, for error messages and the template's instructions.
	Hint string
}

// importFields lists the columns in the order of the template and of exported registers.
// fieldUnitPrice is last: it is read when a sheet has no total value, never written.
var importFields = []fieldDef{
	{Key: fieldAssetNo, Header: "资产编号", Required: true, Variants: []string{"资产编码", "卡片编号", "卡片号", "固定资产编号", "原资产编号", "资产代码"}, Hint: "本单位内唯一的编号，如 GXQ-2019-0001"},
	{Key: fieldName, Header: "资产名称", Required: true, Variants: []string{"固定资产名称", "设备名称", "物资名称", "名称", "资产名"}, Hint: "如 台式计算机"},
	{Key: fieldCategory, Header: "资产分类", Required: true, Variants: []string{"资产分类代码", "分类代码", "类别编号", "类别代码", "类别名称", "资产类别", "分类", "分类名称", "资产分类名称"}, Hint: "分类代码（如 A02010105）或分类名称（如 台式计算机）"},
	{Key: fieldQuantity, Header: "数量", Variants: []string{"实有数量", "账面数量", "资产数量"}, Hint: "正整数，空白视为 1"},
	{Key: fieldMeasureUnit, Header: "计量单位", Variants: []string{"单位"}, Hint: "台、套、件、张、把…"},
	{Key: fieldOriginalValue, Header: "原值（元）", Required: true, Money: true, Variants: []string{"原值", "价值", "资产原值", "账面原值", "设备原值", "总价", "金额", "原值金额", "资产价值"}, Hint: "数字，如 4999.00"},
	{Key: fieldAcquiredOn, Header: "取得日期", Required: true, Variants: []string{"购置日期", "添置日期", "入账日期", "启用日期", "投入使用日期", "购入日期", "取得时间", "购置时间"}, Hint: "如 2019-05-01、2019/5/1 或 2019年5月1日"},
	{Key: fieldAcquisitionMethod, Header: "取得方式", Variants: []string{"获取方式", "增加方式"}, Hint: "新购、调拨、接受捐赠、置换、盘盈、自建"},
	{Key: fieldDepreciation, Header: "累计折旧（元）", Money: true, Variants: []string{"累计折旧", "已提折旧"}, Hint: "数字，可空"},
	{Key: fieldNetValue, Header: "净值（元）", Money: true, Variants: []string{"净值", "账面净值", "资产净值", "现值"}, Hint: "数字，可空"},
	{Key: fieldUsageStatus, Header: "使用状况", Required: true, Variants: []string{"资产状态", "使用状态", "使用情况", "状态"}, Hint: "在用、闲置、出租、出借、待处置、维修中"},
	{Key: fieldCondition, Header: "完好程度", Variants: []string{"成色", "资产状况", "技术状况", "完好状况"}, Hint: "全新、完好、需维修、仅残值、报废；空白视为 完好"},
	{Key: fieldDepartment, Header: "使用部门", Variants: []string{"使用科室", "在用科室", "管理部门", "部门", "科室"}},
	{Key: fieldCustodian, Header: "使用人", Variants: []string{"领用人", "保管人", "责任人", "使用人员"}},
	{Key: fieldLocation, Header: "存放地点", Variants: []string{"安装地点", "存放地", "存放位置", "放置地点"}},
	{Key: fieldModel, Header: "规格型号", Variants: []string{"型号", "规格", "型号规格", "设备型号", "规格型号及参数"}},
	{Key: fieldBrand, Header: "品牌", Variants: []string{"厂家", "生产厂家", "生产厂商", "制造商"}},
	{Key: fieldSerialNo, Header: "出厂编号", Variants: []string{"序列号", "机身编号", "SN", "S/N", "出厂号"}},
	{Key: fieldFundingSource, Header: "经费来源", Variants: []string{"资金来源"}},
	{Key: fieldRemarks, Header: "备注", Variants: []string{"说明", "附注"}},
	{Key: fieldUnitPrice, Header: "单价（元）", Money: true, Variants: []string{"单价"}, Hint: "数字；没有原值列时，原值 = 单价 × 数量"},
}

// fieldByKey returns the definition of a field key, or false when the key is unknown.
func fieldByKey(k importField) (fieldDef, bool) {
	for _, f := range importFields {
		if f.Key == k {
			return f, true
		}
	}
	return fieldDef{}, false
}
