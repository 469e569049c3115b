package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"assetpool/handlers"
	"assetpool/models"
)

func benchAPIFlags(fs *flag.FlagSet) {
	fs.Int("assets", 100000, "生成的资产卡片数")
	fs.Int("samples", 400, "每项测量的次数（LIKE 全表扫描取其 1/20）")
	fs.Bool("json", false, "以 JSON 输出一个结果对象")
	fs.String("dir", "", "放数据库的目录（默认临时目录，结束后删除）")
}

// runBenchAPI loads synthetic cards into a fresh database, serves the API on a loopback port
// and measures it against direct SQL, deep pages and a LIKE scan (see app.BenchAPI).
func runBenchAPI(ctx context.Context, in *invocation) error {
	var n, samples int
	if _, err := fmt.Sscan(flagString(in.fs, "assets"), &n); err != nil || n < 1 {
		return models.Errorf(models.EInvalid, "--assets 应为正整数")
	}
	if _, err := fmt.Sscan(flagString(in.fs, "samples"), &samples); err != nil || samples < 10 {
		return models.Errorf(models.EInvalid, "--samples 应为不小于 10 的整数")
	}
	a, done, err := openBenchApp(ctx, in, "bench-api.db")
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	if !flagBool(in.fs, "json") {
		fmt.Fprintf(in.stdout, "生成 %d 张资产卡片……\n", n)
	}
	fin, units, err := a.LoadBenchAssets(ctx, n)
	if err != nil {
		return err
	}
	loaded := time.Since(start).Seconds()
	token, _, err := a.CreateAPIToken(ctx, fin.Username, "bench")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the bench: %w", err)
	}
	srv := handlers.New(a, slog.New(slog.DiscardHandler))
	go srv.Listener(ln)
	defer srv.Shutdown()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	base := "http://" + ln.Addr().String() + "/api/v1"
	get := func(path string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return nil
	}
	res, err := a.BenchAPI(ctx, fin, units, samples, get)
	if err != nil {
		return err
	}
	res.LoadSeconds = float64(int(loaded*100)) / 100
	if flagBool(in.fs, "json") {
		return json.NewEncoder(in.stdout).Encode(res)
	}
	ms := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	fmt.Fprintf(in.stdout, "%d 张卡片，%d 个单位，载入 %.1f 秒；每项 %d 次（LIKE %d 次）\n\n", res.Assets, res.Units, res.LoadSeconds, res.Samples, res.LikeSamples)
	rows := [][]string{
		{"", "p50（毫秒）", "p99（毫秒）"},
		{"筛选后第一页，经 HTTP API（" + res.FilterQuery + "）", ms(res.APIP50), ms(res.APIP99)},
		{"同样的 SQL 直接执行（预编译）", ms(res.SQLP50), ms(res.SQLP99)},
		{"全区台账第 1 页，经 API", ms(res.FirstPageP50), ms(res.FirstPageP99)},
		{fmt.Sprintf("全区台账第 %d 页，经 API", res.DeepPage), ms(res.DeepPageP50), ms(res.DeepPageP99)},
		{fmt.Sprintf("检索“%s”（%d 张），经 API", res.SearchTerm, res.SearchMatches), ms(res.SearchP50), ms(res.SearchP99)},
		{"同样的页和张数，用 LIKE '%…%' 扫描", ms(res.LikeP50), ms(res.LikeP99)},
		{"检索结果的件数和原值合计，经 API", ms(res.SearchTotalsP50), ms(res.SearchTotalsP99)},
	}
	if err := printTable(in.stdout, rows); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "\nAPI ÷ 直接 SQL（p99）= %.2f；深页 ÷ 第一页（p99）= %.2f（仅行查询：%.2f ÷ %.2f 毫秒）；LIKE ÷ 检索（p99）= %.1f\n",
		res.APISQLP99Ratio, res.DeepFirstRatio, res.DeepRowsP99, res.FirstRowsP99, res.LikeSearchRatio)
	return nil
}
