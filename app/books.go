package app

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// Modes of a correction of a card's books (账务调整).
const (
	// BooksToSchedule drops the unit's stated figures: the schedule computed from the
	// acquisition date becomes the card's books.
	BooksToSchedule = "schedule"
	// BooksToStated sets the figures the unit's ledger states, as of a day.
	BooksToStated = "stated"
)

// BooksCorrection is a clerk's correction of a card's books (账务调整): onto the schedule, or onto
// the accumulated depreciation the unit's ledger states as of AsOf (the end of last month when
// absent). Version is the version the clerk saw, as for an edit; Reason is required, since the
// books are what a transfer books and finance relies on.
type BooksCorrection struct {
	Version                 int           `json:"version"`
	Mode                    string        `json:"mode"`
	AccumulatedDepreciation *models.Money `json:"accumulated_depreciation"`
	AsOf                    *models.Date  `json:"as_of"`
	Reason                  string        `json:"reason"`
}

// booksRecord is what the audit event of a correction keeps of the card's books, before and
// after: the stated figures and their day, and the books they give today.
type booksRecord struct {
	BookDepreciation *models.Money `json:"book_depreciation"`
	BookNetValue     *models.Money `json:"book_net_value"`
	BookDate         models.Date   `json:"book_date"`
	Accumulated      models.Money  `json:"accumulated_depreciation"`
	NetValue         models.Money  `json:"net_value"`
	Disagrees        bool          `json:"disagrees"`
	Mode             string        `json:"mode,omitempty"`
	Reason           string        `json:"reason,omitempty"`
}

func recordBooks(as *models.Asset, cl models.ClassLife, today models.Date) booksRecord {
	b := as.Books(cl, today)
	return booksRecord{BookDepreciation: as.BookDepreciation, BookNetValue: as.BookNetValue, BookDate: as.BookDate,
		Accumulated: b.Accumulated, NetValue: b.Net, Disagrees: b.Disagrees}
}

// CorrectBooks records a correction of a card's books by the owning unit's clerk, in one
// transaction with its audit event ("asset.books_adjust", the books before and after and the
// reason), which the card's history shows. A stale version is a conflict, as for an edit.
func (a *App) CorrectBooks(ctx context.Context, actor *models.User, id uint, in BooksCorrection) (*AssetCard, error) {
	if _, err := a.assetFor(ctx, actor, id, true); err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Version == 0:
		return nil, models.Errorf(models.EInvalid, "缺少版本号 version：请先读取资产卡片再调整")
	case in.Mode != BooksToSchedule && in.Mode != BooksToStated:
		return nil, models.Errorf(models.EInvalid, "调整方式 mode 应为 schedule（按取得日期计算）或 stated（按单位账面数）")
	case in.Reason == "":
		return nil, models.Errorf(models.EInvalid, "请填写调整原因")
	case len([]rune(in.Reason)) > 500:
		return nil, models.Errorf(models.EInvalid, "调整原因过长（最多 500 个字）")
	case in.Mode == BooksToStated && in.AccumulatedDepreciation == nil:
		return nil, models.Errorf(models.EInvalid, "请填写账面累计折旧")
	}
	today := a.Today()
	on := models.PrevMonthEnd(today)
	if in.AsOf != nil && !in.AsOf.IsZero() {
		on = *in.AsOf
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	var saved *models.Asset
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := loadAsset(tx, id)
		if err != nil {
			return err
		}
		if in.Version != old.Version {
			return models.Errorf(models.EConflict, "这张资产卡片已被他人修改（您看到的是第 %d 版，现在是第 %d 版），请刷新后重新调整", in.Version, old.Version)
		}
		as := *old
		switch in.Mode {
		case BooksToSchedule:
			if old.BookDepreciation == nil && old.BookNetValue == nil {
				return models.Errorf(models.EInvalid, "这张卡片没有单位填报的账面数，账面已按取得日期计算，无需调整")
			}
			as.BookDepreciation, as.BookNetValue, as.BookDate = nil, nil, models.Date{}
		case BooksToStated:
			switch {
			case today.Before(on):
				return models.Errorf(models.EInvalid, "账面数的截至日期 %s 晚于今天", on)
			case on.Before(as.AcquiredOn):
				return models.Errorf(models.EInvalid, "账面数的截至日期 %s 早于取得日期 %s", on, as.AcquiredOn)
			}
			acc := *in.AccumulatedDepreciation
			net := as.OriginalValue - acc
			as.BookDepreciation, as.BookNetValue, as.BookDate = &acc, &net, on
		}
		if err := as.Validate(today); err != nil {
			return err
		}
		as.Version = old.Version + 1
		as.UnchangedImports = 0
		as.UpdatedAt = a.now()
		res := tx.Model(&models.Asset{}).Where("id = ? AND version = ?", id, old.Version).
			Select("book_depreciation", "book_net_value", "book_date", "version", "unchanged_imports", "updated_at").Updates(&as)
		if res.Error != nil {
			return internal(res.Error, "correct books")
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.EConflict, "这张资产卡片已被他人修改，请刷新后重新调整")
		}
		cl := cats[as.CategoryCode].life()
		before, after := recordBooks(old, cl, today), recordBooks(&as, cl, today)
		after.Mode, after.Reason = in.Mode, in.Reason
		saved = &as
		return a.audit(tx, actor, "asset.books_adjust", "asset", id, &as.UnitID, &before, &after)
	})
	if err != nil {
		return nil, err
	}
	return a.card(ctx, actor, saved, models.Date{})
}
