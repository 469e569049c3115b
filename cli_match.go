package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"assetpool/models"
)

func matchFlags(fs *flag.FlagSet) {
	fs.Bool("json", false, "以 JSON 输出结果")
}

// runMatch runs the matching engine over every open request and the whole pool, as finance's
// 运行匹配 does.
func runMatch(ctx context.Context, in *invocation) error {
	res, err := in.app.RunMatching(ctx, nil, models.TriggerCLI)
	if err != nil {
		return err
	}
	if flagBool(in.fs, "json") {
		return json.NewEncoder(in.stdout).Encode(res)
	}
	fmt.Fprintf(in.stdout, "匹配完成（%.2f 秒）：闲置资产库 %d 项，开放需求 %d 项；新建调剂建议 %d 条，%d 项需求获得匹配，释放过期保留 %d 项，总得分 %.1f\n",
		res.Seconds, res.PoolItems, res.OpenRequests, res.Proposals, res.RequestsMatched, res.Expired, res.Objective)
	return nil
}

func benchMatchFlags(fs *flag.FlagSet) {
	fs.Int("items", 100000, "闲置资产库中的资产卡片数")
	fs.Int("requests", 20000, "开放的购置需求数")
	fs.Bool("json", false, "以 JSON 输出一个结果对象")
	fs.String("dir", "", "放数据库的目录（默认临时目录，结束后删除）")
}

// runBenchMatch loads a pool and open requests into a fresh database and times the greedy
// baseline against the optimal allocation (see app.BenchMatch).
func runBenchMatch(ctx context.Context, in *invocation) error {
	var items, requests int
	if _, err := fmt.Sscan(flagString(in.fs, "items"), &items); err != nil || items < 1 {
		return models.Errorf(models.EInvalid, "--items 应为正整数")
	}
	if _, err := fmt.Sscan(flagString(in.fs, "requests"), &requests); err != nil || requests < 1 {
		return models.Errorf(models.EInvalid, "--requests 应为正整数")
	}
	a, done, err := openBenchApp(ctx, in, "bench-match.db")
	if err != nil {
		return err
	}
	defer done()
	asJSON := flagBool(in.fs, "json")
	if !asJSON {
		fmt.Fprintf(in.stdout, "生成 %d 项闲置资产和 %d 项购置需求……\n", items, requests)
	}
	start := time.Now()
	if _, err := a.LoadBenchMatch(ctx, items, requests); err != nil {
		return err
	}
	loaded := time.Since(start).Seconds()
	res, err := a.BenchMatch(ctx)
	if err != nil {
		return err
	}
	res.LoadSeconds = float64(int(loaded*100)) / 100
	if asJSON {
		return json.NewEncoder(in.stdout).Encode(res)
	}
	rows := [][]string{
		{"", "耗时（秒）", "调剂建议", "目标值（得分×件数）"},
		{"逐项贪心（基线）", fmt.Sprintf("%.3f", res.GreedySeconds), fmt.Sprint(res.GreedyProposals), fmt.Sprintf("%.1f", res.GreedyObjective)},
		{"全局最优（最小费用流）", fmt.Sprintf("%.3f", res.OptimalSeconds), fmt.Sprint(res.OptimalProposals), fmt.Sprintf("%.1f", res.OptimalObjective)},
	}
	if err := printTable(in.stdout, rows); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "\n最优 ÷ 贪心耗时 = %.2f；内存峰值 %.1f MB（%s）；载入 %.1f 秒\n", res.TimeRatio, res.PeakMB, res.PeakMethod, res.LoadSeconds)
	fmt.Fprintf(in.stdout, "紧接着再次全局匹配（重新优化全部 %d 条待确认建议）：%.3f 秒，调整 %d 条\n", res.OptimalProposals, res.RerunSeconds, res.RerunChanged)
	return nil
}
