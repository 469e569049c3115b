package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"assetpool/models"
)

// statusOf is the one table from domain error codes to HTTP statuses.
var statusOf = map[string]int{
	models.EInvalid:       fiber.StatusBadRequest,
	models.ENotFound:      fiber.StatusNotFound,
	models.EConflict:      fiber.StatusConflict,
	models.EUnauthorized:  fiber.StatusUnauthorized,
	models.EForbidden:     fiber.StatusForbidden,
	models.ETooMany:       fiber.StatusTooManyRequests,
	models.EUnsupported:   fiber.StatusNotImplemented,
	models.EInternal:      fiber.StatusInternalServerError,
	models.ETooLarge:      fiber.StatusRequestEntityTooLarge,
	models.EUnprocessable: fiber.StatusUnprocessableEntity,
}

// fiberMessages are Chinese messages for errors Fiber raises itself.
var fiberMessages = map[int]string{
	fiber.StatusNotFound:              "页面或接口不存在",
	fiber.StatusMethodNotAllowed:      "不支持此请求方法",
	fiber.StatusRequestEntityTooLarge: "上传的内容过大",
	fiber.StatusRequestTimeout:        "请求超时，请重试",
}

// codeOfStatus names the error code for a status raised by Fiber.
var codeOfStatus = map[int]string{
	fiber.StatusBadRequest: models.EInvalid, fiber.StatusNotFound: models.ENotFound,
	fiber.StatusUnauthorized: models.EUnauthorized, fiber.StatusForbidden: models.EForbidden,
	fiber.StatusConflict: models.EConflict, fiber.StatusTooManyRequests: models.ETooMany,
	fiber.StatusRequestEntityTooLarge: models.ETooLarge,
}

// handleError renders every error as {"error":{"code","message"}}. Only internal errors are
// logged, with their cause; users never see database text.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	code, msg := models.ErrorCode(err), models.ErrorMessage(err)
	status := statusOf[code]
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status, msg = fe.Code, fe.Message
		if m, ok := fiberMessages[fe.Code]; ok && (fe.Message == "" || fe.Message == utils.StatusMessage(fe.Code)) {
			msg = m
		}
		code = codeOfStatus[fe.Code]
		if fe.Code == fiber.StatusRequestEntityTooLarge && s.app != nil {
			msg = fmt.Sprintf("上传的内容过大：文件不能超过 %d MB，请拆分后分别上传", s.app.UploadLimit()>>20)
		}
		if code == "" {
			code = "http_" + strconv.Itoa(fe.Code)
		}
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": msg}})
}

// decodeJSON reads a JSON request body into v.
func decodeJSON(c *fiber.Ctx, v any) error {
	if err := json.Unmarshal(c.Body(), v); err != nil {
		var de *models.Error
		if errors.As(err, &de) {
			return de
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return models.Errorf(models.EInvalid, "字段 %s 的类型不正确", te.Field)
		}
		return models.Errorf(models.EInvalid, "请求内容不是有效的 JSON")
	}
	return nil
}

// idParam reads a positive integer path parameter.
func idParam(c *fiber.Ctx, name string) (uint, error) {
	v, err := strconv.ParseUint(c.Params(name), 10, 64)
	if err != nil || v == 0 {
		return 0, models.Errorf(models.EInvalid, "编号 %q 无效", c.Params(name))
	}
	return uint(v), nil
}
