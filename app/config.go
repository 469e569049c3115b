// Package app is assetpool's core: configuration, the database, accounts and sessions, units,
// users, categories, import, matching, workflow and export. It knows nothing of HTTP.
package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"assetpool/models"
)

// Config is everything assetpool reads from flags and the environment, validated once in main.
type Config struct {
	// Addr is where the web server listens, e.g. ":8080".
	Addr string
	// DB is the SQLite file path, or a postgres:// URL (not supported yet).
	DB string
	// SessionTTL is how long a web session lasts without use.
	SessionTTL time.Duration
	// UploadLimit is the largest inventory file accepted, in bytes.
	UploadLimit int64
	// ImportMaxRows is the most data rows one inventory file may hold.
	ImportMaxRows int
	// ImportBackgroundRows is the size from which an upload is read in the background, with
	// progress, instead of within the request.
	ImportBackgroundRows int
	// PoolRepairable offers idle items that need repair in the pool too, beside new and usable
	// ones; districts decide.
	PoolRepairable bool
	// PhotoLimit is the largest photo accepted, in bytes.
	PhotoLimit int64
	// HoldDays is how long a proposed item stays held for its request before the hold expires
	// and the item is free for others.
	HoldDays int
	// Jurisdiction names whose configuration standards purchase requests are checked against.
	Jurisdiction string
	// Weights are how much each part of a match score counts.
	Weights MatchWeights
}

// MatchWeights are the points each part of a match score can give; they need not sum to 100,
// scores are scaled to 100.
type MatchWeights struct {
	Category, Condition, Life, Text, Distance, Value int
}

// DefaultWeights favour the right kind of item, then a long remaining life.
var DefaultWeights = MatchWeights{Category: 30, Condition: 15, Life: 20, Text: 15, Distance: 10, Value: 10}

// String writes the weights the way ParseWeights reads them.
func (w MatchWeights) String() string {
	return fmt.Sprintf("category=%d,condition=%d,life=%d,text=%d,distance=%d,value=%d", w.Category, w.Condition, w.Life, w.Text, w.Distance, w.Value)
}

// ParseWeights reads "category=30,condition=15,…"; parts left out keep their default.
func ParseWeights(s string) (MatchWeights, error) {
	w := DefaultWeights
	fields := map[string]*int{"category": &w.Category, "condition": &w.Condition, "life": &w.Life,
		"text": &w.Text, "distance": &w.Distance, "value": &w.Value}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		p := fields[strings.TrimSpace(k)]
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || p == nil || err != nil || n < 0 || n > 1000 {
			return w, models.Errorf(models.EInvalid, "匹配权重 %q 无效：应为 category、condition、life、text、distance、value 之一等于 0 到 1000 的整数", part)
		}
		*p = n
	}
	if w.Category+w.Condition+w.Life+w.Text+w.Distance+w.Value == 0 {
		return w, models.Errorf(models.EInvalid, "匹配权重不能全为 0")
	}
	return w, nil
}

// DefaultConfig returns the configuration used when no flag or variable says otherwise.
func DefaultConfig() Config {
	return Config{Addr: ":8080", DB: "assetpool.db", SessionTTL: 12 * time.Hour,
		UploadLimit: 50 << 20, ImportMaxRows: 1_000_000, ImportBackgroundRows: 5000,
		PhotoLimit: 5 << 20, HoldDays: 10, Jurisdiction: "中央", Weights: DefaultWeights}
}

// Validate checks the configuration before anything is opened.
func (c Config) Validate() error {
	if c.DB == "" {
		return models.Errorf(models.EInvalid, "未指定数据库文件（--db 或环境变量 ASSETPOOL_DB）")
	}
	if isPostgresURL(c.DB) {
		return models.Errorf(models.EUnsupported, "暂不支持 PostgreSQL（%s）: PostgreSQL is not supported yet; use a SQLite file path for --db", redactURL(c.DB))
	}
	if c.UploadLimit < 1<<20 || c.UploadLimit > 1<<30 {
		return models.Errorf(models.EInvalid, "上传大小上限应在 1 MB 到 1024 MB 之间")
	}
	if c.ImportMaxRows < 1 {
		return models.Errorf(models.EInvalid, "导入行数上限必须大于 0")
	}
	if c.HoldDays < 1 || c.HoldDays > 365 {
		return models.Errorf(models.EInvalid, "调剂保留天数应在 1 到 365 之间")
	}
	if c.SessionTTL < time.Minute {
		return models.Errorf(models.EInvalid, "会话有效期 %s 太短", c.SessionTTL)
	}
	return nil
}

func isPostgresURL(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// redactURL hides a password in a database URL before it is printed.
func redactURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return s
	}
	if user, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
		return scheme + "://" + user + ":***@" + host
	}
	return s
}
