// Package models holds assetpool's vocabulary: domain types, their enums with Chinese labels,
// the domain error and the rules of who may do what. It never touches a database.
package models

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; handlers map each to one HTTP status.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	ETooMany      = "too_many_requests"
	EUnsupported  = "unsupported"
	EInternal     = "internal"
	// ETooLarge is an upload above the size limit.
	ETooLarge = "too_large"
	// EUnprocessable is a well-formed request that cannot be carried out as asked, e.g.
	// committing an import preview that still has errors.
	EUnprocessable = "unprocessable"
)

// Error is a domain error: a machine code and a message fit to show a user (in Chinese).
// Err, when set, is the underlying cause, logged but never shown.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, or EInternal.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of the first domain error in err's chain,
// or a generic one: internal details never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试或联系管理员"
}
