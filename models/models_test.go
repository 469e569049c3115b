package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestMoneyFormatsFromFen(t *testing.T) {
	cases := []struct {
		fen       Money
		yuan, tbl string
	}{
		{0, "0.00", "¥0.00"},
		{7, "0.07", "¥0.07"},
		{123456789, "1234567.89", "¥1,234,567.89"},
		{-150, "-1.50", "-¥1.50"},
		{100000, "1000.00", "¥1,000.00"},
	}
	for _, c := range cases {
		if got := c.fen.Yuan(); got != c.yuan {
			t.Errorf("Money(%d).Yuan() = %q, want %q", c.fen, got, c.yuan)
		}
		if got := c.fen.String(); got != c.tbl {
			t.Errorf("Money(%d).String() = %q, want %q", c.fen, got, c.tbl)
		}
		js, _ := json.Marshal(c.fen)
		if string(js) != c.yuan {
			t.Errorf("json(Money(%d)) = %s, want %s", c.fen, js, c.yuan)
		}
	}
}

func TestParseYuanIsExact(t *testing.T) {
	cases := map[string]Money{
		"0.1": 10, "0.07": 7, "1234": 123400, "-12.5": -1250, "+3": 300, ".5": 50,
		"19.999": 2000, "0.005": 1, "0.004": 0, "4999.99": 499999,
	}
	for in, want := range cases {
		got, err := ParseYuan(in)
		if err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "1,000", "1.2.3", "-", "12e3"} {
		if _, err := ParseYuan(bad); ErrorCode(err) != EInvalid {
			t.Errorf("ParseYuan(%q) error = %v, want invalid", bad, err)
		}
	}
	// Summing 0.1 yuan ten times stays exact, unlike float64.
	var sum Money
	for i := 0; i < 10; i++ {
		v, _ := ParseYuan("0.1")
		sum += v
	}
	if sum != 100 {
		t.Errorf("ten times 0.1 yuan = %d fen", sum)
	}
	var m Money
	if err := json.Unmarshal([]byte(`"12.34"`), &m); err != nil || m != 1234 {
		t.Errorf("unmarshal string: %d %v", m, err)
	}
	if err := json.Unmarshal([]byte(`12.3`), &m); err != nil || m != 1230 {
		t.Errorf("unmarshal number: %d %v", m, err)
	}
}

func TestDateRoundTrips(t *testing.T) {
	d, err := ParseDate("2019-05-01")
	if err != nil || d != (Date{2019, time.May, 1}) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	js, _ := json.Marshal(d)
	if string(js) != `"2019-05-01"` {
		t.Errorf("json = %s", js)
	}
	var back Date
	if err := json.Unmarshal(js, &back); err != nil || back != d {
		t.Errorf("unmarshal = %v, %v", back, err)
	}
	if js, _ := json.Marshal(Date{}); string(js) != "null" {
		t.Errorf("zero date json = %s", js)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero date value = %v", v)
	}
	for _, in := range []any{"2019-05-01", []byte("2019-05-01 00:00:00+00:00"), time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)} {
		var s Date
		if err := s.Scan(in); err != nil || s != d {
			t.Errorf("Scan(%v) = %v, %v", in, s, err)
		}
	}
	if _, err := ParseDate("2019-02-30"); err == nil {
		t.Error("2019-02-30 parsed")
	}
	if !(Date{2019, 1, 1}).Before(Date{2019, 1, 2}) {
		t.Error("Before is wrong")
	}
}

func TestStatusesParseFromLabelsAndSynonyms(t *testing.T) {
	usage := map[string]UsageStatus{
		"在用": UsageInUse, "自用": UsageInUse, "使用中": UsageInUse, "闲置": UsageIdle, "空置": UsageIdle,
		"未使用": UsageIdle, "停用": UsageIdle, "出租": UsageLeased, "出借": UsageLent, "待处置": UsagePendingDisposal,
		"待报废": UsagePendingDisposal, "维修中": UsageUnderRepair, "idle": UsageIdle, " 在用 ": UsageInUse,
	}
	for in, want := range usage {
		if got, ok := ParseUsageStatus(in); !ok || got != want {
			t.Errorf("ParseUsageStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseUsageStatus("丢了"); ok {
		t.Error("unknown usage status accepted")
	}
	for _, s := range UsageStatuses {
		if s.Label() == string(s) {
			t.Errorf("usage status %s has no label", s)
		}
	}
	cond := map[string]Condition{"全新": ConditionNew, "完好": ConditionUsable, "完好可用": ConditionUsable, "需维修": ConditionRepairable, "报废": ConditionScrap}
	for in, want := range cond {
		if got, ok := ParseCondition(in); !ok || got != want {
			t.Errorf("ParseCondition(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if !(ConditionNew.Rank() < ConditionUsable.Rank() && ConditionUsable.Rank() < ConditionScrap.Rank()) {
		t.Error("condition ranks out of order")
	}
}

func TestUserPolicy(t *testing.T) {
	a, b := uint(1), uint(2)
	clerk := &User{Role: RoleClerk, UnitID: &a}
	fin := &User{Role: RoleFinance}
	adm := &User{Role: RoleAdmin}
	cases := []struct {
		u           *User
		unit        uint
		read, write bool
	}{
		{clerk, a, true, true}, {clerk, b, false, false},
		{fin, a, true, false}, {adm, b, true, false},
		{&User{Role: RoleClerk}, a, false, false},
	}
	for i, c := range cases {
		if got := c.u.CanReadUnit(c.unit); got != c.read {
			t.Errorf("case %d: CanReadUnit = %v", i, got)
		}
		if got := c.u.CanWriteUnit(c.unit); got != c.write {
			t.Errorf("case %d: CanWriteUnit = %v", i, got)
		}
	}
}

func TestValidation(t *testing.T) {
	one := uint(1)
	bad := []struct {
		name string
		err  error
	}{
		{"clerk without unit", (&User{Username: "ab", Role: RoleClerk}).Validate()},
		{"finance with unit", (&User{Username: "ab", Role: RoleFinance, UnitID: &one}).Validate()},
		{"bad role", (&User{Username: "ab", Role: "boss"}).Validate()},
		{"bad username", (&User{Username: "a b", Role: RoleAdmin}).Validate()},
		{"empty unit code", (&Unit{Name: "x"}).Validate()},
		{"negative staff", (&Unit{Code: "x", Name: "x", Staff: -1}).Validate()},
		{"short password", ValidatePassword("1234567")},
		{"category own parent", (&Category{Code: "A", Name: "x", ParentCode: "A"}).Validate()},
	}
	for _, c := range bad {
		if ErrorCode(c.err) != EInvalid {
			t.Errorf("%s: error = %v, want invalid", c.name, c.err)
		}
	}
	today := Date{2026, 11, 29}
	ok := Asset{AssetNo: "1", Name: "台式计算机", CategoryCode: "A02010105", Quantity: 1, AcquiredOn: Date{2019, 5, 1}, UsageStatus: UsageInUse, Condition: ConditionUsable}
	if err := ok.Validate(today); err != nil {
		t.Fatalf("valid asset: %v", err)
	}
	future := ok
	future.AcquiredOn = Date{2027, 1, 1}
	if ErrorCode(future.Validate(today)) != EInvalid {
		t.Error("future acquisition accepted")
	}
	zero := ok
	zero.Quantity = 0
	if ErrorCode(zero.Validate(today)) != EInvalid {
		t.Error("quantity 0 accepted")
	}
}

func TestErrorHelpers(t *testing.T) {
	de := Errorf(EConflict, "单位代码 %s 已存在", "A")
	wrapped := fmt.Errorf("create: %w", de)
	if ErrorCode(wrapped) != EConflict || ErrorMessage(wrapped) != "单位代码 A 已存在" {
		t.Errorf("wrapped domain error lost: %v", wrapped)
	}
	plain := errors.New("sql: database is locked")
	if ErrorCode(plain) != EInternal || ErrorMessage(plain) == plain.Error() {
		t.Errorf("internal error leaks: %q", ErrorMessage(plain))
	}
}
