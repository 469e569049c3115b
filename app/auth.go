package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"assetpool/models"
)

// Token prefixes tell a session cookie from an API token at a glance (and in leaked-secret scanners).
const (
	sessionPrefix  = "aps_"
	apiTokenPrefix = "apt_"
)

// newSecret returns a random token with the given prefix: 32 bytes from crypto/rand.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // never happens on supported systems
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how tokens are stored: a plain SHA-256 is enough for 256-bit random secrets,
// which unlike passwords cannot be guessed from a dictionary.
func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CSRFToken derives the CSRF token of a session from the session token. The browser gets it
// from the login answer or /me and sends it back in a header, which a cross-site form cannot do;
// deriving it means nothing more is stored, and it reveals nothing of the session token.
func CSRFToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("assetpool csrf\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// NewPassword returns a random password for generated accounts (admin on first start, demo users).
func NewPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func hashPassword(pw string) (string, error) {
	if err := models.ValidatePassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash returns the hash compared against when a username does not exist, so that a failed
// login takes as long for an unknown user as for a wrong password and does not reveal which
// users exist. It is made by the first login, whatever the username, not when the package or
// the App starts: every command line run would otherwise pay a bcrypt hash it never uses, and
// made only for an unknown user, that first attempt would take twice as long as the others.
func (a *App) dummyHash() []byte {
	a.dummyOnce.Do(func() {
		a.dummy, _ = bcrypt.GenerateFromPassword([]byte("assetpool-no-such-user"), bcrypt.DefaultCost)
	})
	return a.dummy
}

// errBadLogin is the one answer to every failed login, whatever the reason.
var errBadLogin = models.Errorf(models.EUnauthorized, "用户名或密码错误")

// Login checks a username and password and opens a session. It returns the user (with their
// unit) and the
// session token for the cookie. ip is the client address, for rate limiting and the session list.
func (a *App) Login(ctx context.Context, username, password, ip, userAgent string) (*models.User, string, error) {
	username = strings.TrimSpace(username)
	now := a.now()
	if wait := a.login.blocked(username, ip, now); wait > 0 {
		return nil, "", models.Errorf(models.ETooMany, "登录失败次数过多，请 %d 分钟后再试", int(wait.Minutes())+1)
	}
	dummy := a.dummyHash()
	var u models.User
	err := a.read.WithContext(ctx).Preload("Unit").Where("lower(username) = lower(?)", username).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		_ = bcrypt.CompareHashAndPassword(dummy, []byte(password))
		a.login.fail(username, ip, now)
		a.log.Info("login failed", "username", username, "ip", ip, "reason", "no such user")
		return nil, "", errBadLogin
	}
	if err != nil {
		return nil, "", internal(err, "load user")
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		a.login.fail(username, ip, now)
		a.log.Info("login failed", "username", username, "ip", ip, "reason", "wrong password")
		return nil, "", errBadLogin
	}
	if !u.Active {
		a.log.Info("login refused", "username", username, "ip", ip, "reason", "inactive")
		return nil, "", models.Errorf(models.EUnauthorized, "该账号已停用，请联系系统管理员")
	}
	a.login.succeed(username, ip)
	token := newSecret(sessionPrefix)
	s := models.Session{
		TokenHash: hashSecret(token), UserID: u.ID, ExpiresAt: now.Add(a.cfg.SessionTTL),
		LastSeenAt: now, IP: truncate(ip, 64), UserAgent: truncate(userAgent, 300),
	}
	if err := a.db.WithContext(ctx).Create(&s).Error; err != nil {
		return nil, "", internal(err, "create session")
	}
	a.log.Info("login", "username", username, "ip", ip)
	return &u, token, nil
}

// sessionTouchInterval limits how often a session's expiry is pushed forward, so that reading
// pages does not turn every request into a database write.
const sessionTouchInterval = 5 * time.Minute

// UserBySession returns the active user who owns a session token, extending the session on use.
func (a *App) UserBySession(ctx context.Context, token string) (*models.User, error) {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil, models.Errorf(models.EUnauthorized, "请先登录")
	}
	var s models.Session
	err := a.read.WithContext(ctx).Preload("User").Where("token_hash = ?", hashSecret(token)).First(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.EUnauthorized, "登录已失效，请重新登录")
	}
	if err != nil {
		return nil, internal(err, "load session")
	}
	now := a.now()
	if !now.Before(s.ExpiresAt) || s.User == nil || !s.User.Active {
		return nil, models.Errorf(models.EUnauthorized, "登录已失效，请重新登录")
	}
	if now.Sub(s.LastSeenAt) > sessionTouchInterval {
		err := a.db.WithContext(ctx).Model(&models.Session{}).Where("id = ?", s.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(a.cfg.SessionTTL)}).Error
		if err != nil {
			a.log.Warn("extend session", "err", err)
		}
	}
	return s.User, nil
}

// Logout ends a session. Ending one that does not exist is not an error.
func (a *App) Logout(ctx context.Context, token string) error {
	err := a.db.WithContext(ctx).Where("token_hash = ?", hashSecret(token)).Delete(&models.Session{}).Error
	return internal(err, "delete session")
}

// PurgeExpiredSessions deletes sessions past their expiry and returns how many.
func (a *App) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	res := a.db.WithContext(ctx).Where("expires_at <= ?", a.now()).Delete(&models.Session{})
	return res.RowsAffected, internal(res.Error, "purge sessions")
}

// CreateAPIToken creates a bearer token for username and returns it: the only time it is shown.
func (a *App) CreateAPIToken(ctx context.Context, username, name string) (string, *models.APIToken, error) {
	u, err := a.UserByUsername(ctx, username)
	if err != nil {
		return "", nil, err
	}
	if name == "" {
		name = "api"
	}
	token := newSecret(apiTokenPrefix)
	t := models.APIToken{Name: truncate(name, 100), TokenHash: hashSecret(token), Prefix: token[:12], UserID: u.ID}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return a.audit(tx, nil, "token.create", "api_token", t.ID, nil, nil, map[string]any{"user": u.Username, "name": t.Name, "prefix": t.Prefix})
	})
	if err != nil {
		return "", nil, internal(err, "create API token")
	}
	return token, &t, nil
}

// ListAPITokens lists the tokens of one user, or of everyone when username is empty.
func (a *App) ListAPITokens(ctx context.Context, username string) ([]models.APIToken, error) {
	q := a.read.WithContext(ctx).Preload("User").Order("id")
	if username != "" {
		u, err := a.UserByUsername(ctx, username)
		if err != nil {
			return nil, err
		}
		q = q.Where("user_id = ?", u.ID)
	}
	var ts []models.APIToken
	return ts, internal(q.Find(&ts).Error, "list API tokens")
}

// RevokeAPIToken revokes a token by id; it stops working at once.
func (a *App) RevokeAPIToken(ctx context.Context, id uint) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t models.APIToken
		if err := tx.First(&t, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.Errorf(models.ENotFound, "令牌 %d 不存在", id)
			}
			return internal(err, "load API token")
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := a.now()
		if err := tx.Model(&t).Update("revoked_at", now).Error; err != nil {
			return internal(err, "revoke API token")
		}
		return a.audit(tx, nil, "token.revoke", "api_token", t.ID, nil, nil, map[string]any{"prefix": t.Prefix})
	})
}

// UserByAPIToken returns the active user who owns a bearer token that is not revoked.
func (a *App) UserByAPIToken(ctx context.Context, token string) (*models.User, error) {
	if !strings.HasPrefix(token, apiTokenPrefix) {
		return nil, models.Errorf(models.EUnauthorized, "令牌无效")
	}
	var t models.APIToken
	err := a.read.WithContext(ctx).Preload("User").Where("token_hash = ?", hashSecret(token)).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.EUnauthorized, "令牌无效")
	}
	if err != nil {
		return nil, internal(err, "load API token")
	}
	if t.RevokedAt != nil || t.User == nil || !t.User.Active {
		return nil, models.Errorf(models.EUnauthorized, "令牌已吊销或账号已停用")
	}
	now := a.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > sessionTouchInterval {
		if err := a.db.WithContext(ctx).Model(&t).Update("last_used_at", now).Error; err != nil {
			a.log.Warn("touch API token", "err", err)
		}
	}
	return t.User, nil
}

// Login rate limits. A pair of user and address is slowed first; an address that tries many
// users and a user tried from many addresses are slowed too, so that neither guessing one
// password from a botnet nor spraying one password over all users gets far.
const (
	loginWindow     = 15 * time.Minute
	maxFailsPair    = 5
	maxFailsAddress = 20
	maxFailsUser    = 20
)

// loginLimiter counts failed logins in memory. Counts are per process: several instances
// each allow their own quota, which still bounds guessing to a handful per minute.
type loginLimiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

func newLoginLimiter() *loginLimiter { return &loginLimiter{fails: map[string][]time.Time{}} }

func limiterKeys(username, ip string) [3]string {
	u := strings.ToLower(username)
	return [3]string{"p\x00" + u + "\x00" + ip, "a\x00" + ip, "u\x00" + u}
}

var limiterMax = [3]int{maxFailsPair, maxFailsAddress, maxFailsUser}

// blocked returns how long the caller must wait, or 0.
func (l *loginLimiter) blocked(username, ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for i, k := range limiterKeys(username, ip) {
		recent := l.prune(k, now)
		if len(recent) >= limiterMax[i] {
			wait = max(wait, recent[len(recent)-limiterMax[i]].Add(loginWindow).Sub(now))
		}
	}
	return wait
}

func (l *loginLimiter) fail(username, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range limiterKeys(username, ip) {
		l.fails[k] = append(l.prune(k, now), now)
	}
}

func (l *loginLimiter) succeed(username, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, limiterKeys(username, ip)[0])
}

// prune drops failures older than the window and returns the rest.
func (l *loginLimiter) prune(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= loginWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
