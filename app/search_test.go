package app

import "testing"

func TestSearchGramsAndMatch(t *testing.T) {
	grams := []struct {
		in   []any
		want string
	}{
		{[]any{"A4彩色打印机"}, "a4 彩色 色打 打印 印机 机"},
		{[]any{"ZC-2019-0001", "台式计算机"}, "zc 2019 0001 台式 式计 计算 算机 机"},
		{[]any{"ＨＰ LaserJet M454dn"}, "hp laserjet m454dn"},
		{[]any{"3楼库房", "", "楼"}, "3 楼库 库房 房 楼"},
		{[]any{"%%", nil, []byte("椅")}, "椅"},
	}
	for _, c := range grams {
		if got := searchGrams(c.in...); got != c.want {
			t.Errorf("searchGrams(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	match := map[string]string{
		"打印":         `"打印"`,
		"彩色打印机":      `"彩色 色打 打印 印机"`,
		"机":          `机*`,
		"A4彩色":       `a4* "彩色"`,
		"ＨＰ m454":    `hp* m454*`,
		`"; DROP --`: `drop*`,
		"%_":         "",
	}
	for q, want := range match {
		if got := searchMatch(q); got != want {
			t.Errorf("searchMatch(%q) = %q, want %q", q, got, want)
		}
	}
}
