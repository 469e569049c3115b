package models

import "strings"

// Category is one node of the asset classification (GB/T 14885-2022 《固定资产等资产基础分类与代码》
// or whatever table the administrator loads). Matching uses the parent chain: same item, then same
// minor class, then same major class.
type Category struct {
	Code       string `gorm:"primaryKey;size:32" json:"code"`
	Name       string `gorm:"size:200;not null" json:"name"`
	ParentCode string `gorm:"size:32;index" json:"parent_code"`
	// Level is the depth in the table: 1 for a top class (门类).
	Level int `gorm:"not null;default:1" json:"level"`
	// MinYears is the minimum useful life (最低使用年限) in years; 0 means not depreciated
	// or not given at this level.
	MinYears int    `gorm:"not null;default:0" json:"min_years"`
	Note     string `gorm:"size:200" json:"note,omitempty"`
}

// Validate checks a category row as loaded from a file.
func (c *Category) Validate() error {
	switch {
	case c.Code == "":
		return Errorf(EInvalid, "分类代码不能为空")
	case len(c.Code) > 32 || strings.ContainsAny(c.Code, " \t\r\n"):
		return Errorf(EInvalid, "分类代码 %q 格式不正确", c.Code)
	case c.Name == "":
		return Errorf(EInvalid, "分类 %s 缺少名称", c.Code)
	case c.ParentCode == c.Code:
		return Errorf(EInvalid, "分类 %s 的上级不能是它自己", c.Code)
	case c.MinYears < 0 || c.MinYears > 100:
		return Errorf(EInvalid, "分类 %s 的最低使用年限 %d 不合理", c.Code, c.MinYears)
	}
	return nil
}
