"""The errors briefing raises, each able to render itself as RFC 9457 problem data.

BriefingError (500, about:blank)
  InputError (422)      ArticleParseError (+ line), ValidationFailed (+ errors)
                          HtmlPageError: NotHtml, UndecodableHtml,
                                         NoPublicationDate, NoQuestionFound
  NotFound (404)        QuestionNotFound, ArticleNotFound, AnswerNotFound,
                        NoAnswerYet (+ first_published),
                        NoLaterAnswer (+ last_published)
  Retracted (410)       (+ retracted_at)
  AuthError (401/403)   MissingToken, InvalidToken, WritesDisabled
  ArticleTooBig (413), UnsupportedMediaType (415), ArticleIdCollision (409)
  PreconditionFailed (412), TooManyAuthFailures (429), StoreUnavailable (503)
  HttpProblem (any status, about:blank): what the HTTP layer itself refuses

Nothing here imports Flask: the api package sets the media type and `instance`.
"""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://briefing.example/problems/"


class BriefingError(Exception):
    """Base class: an error with an HTTP status and a problem type."""

    status = 500
    title = "Internal Server Error"
    type = "about:blank"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions

    def headers(self) -> dict[str, str]:
        """Return the HTTP headers this problem is answered with (besides its body)."""
        return {}

    def to_problem(self) -> dict[str, Any]:
        """Return the problem members (RFC 9457) as a plain dict."""
        return {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extensions,
        }


class InputError(BriefingError):
    status = 422
    title = "Unprocessable Content"


class ArticleParseError(InputError):
    """The article text breaks a rule of the input format; `line` is 1-based."""

    title = "Article could not be parsed"
    type = PROBLEM_BASE + "article-parse-error"

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(f"line {line}: {message}", line=line)
        self.line = line
        self.message = message


class HtmlPageError(ArticleParseError):
    """A web page from which no article can be read (docs/html.md).

    `line` is the page's line where that is known (an undecodable byte), else 1;
    the detail names the problem without a line when the line says nothing.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        InputError.__init__(
            self,
            message if line is None else f"line {line}: {message}",
            line=line or 1,
        )
        self.line = line or 1
        self.message = message


class NotHtml(HtmlPageError):
    """The bytes are no HTML page: empty, binary, a PDF, plain text."""


class UndecodableHtml(HtmlPageError):
    """The bytes are invalid in the encoding the page (or its Content-Type) names."""


class NoPublicationDate(HtmlPageError):
    """The page states no publication date in any place the reader looks."""


class NoQuestionFound(HtmlPageError):
    """The page's main content has no question with an answer."""


class ValidationFailed(InputError):
    """A query, path or body value is invalid; `errors` names each one."""

    title = "Invalid request"
    type = PROBLEM_BASE + "validation-error"

    def __init__(self, detail: str, *, errors: list[dict[str, str]]) -> None:
        super().__init__(detail, errors=errors)


class NotFound(BriefingError):
    status = 404
    title = "Not Found"
    type = PROBLEM_BASE + "not-found"


class QuestionNotFound(NotFound):
    title = "Question not found"


class ArticleNotFound(NotFound):
    title = "Article not found"


class AnswerNotFound(NotFound):
    title = "No answer for that date"


class _OutsideHistory(AnswerNotFound):
    """A date outside a question's history; `link` points at its nearest edge."""

    def __init__(self, detail: str, *, link: str, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.link = link

    def headers(self) -> dict[str, str]:
        return {"Link": self.link}


class NoAnswerYet(_OutsideHistory):
    """The date lies before the question's first answer (+ first_published)."""

    title = "No answer yet on that date"
    type = PROBLEM_BASE + "no-answer-yet"


class NoLaterAnswer(_OutsideHistory):
    """No answer was published on or after the date (+ last_published)."""

    title = "No answer on or after that date"
    type = PROBLEM_BASE + "no-later-answer"


class InvalidAcceptDatetime(BriefingError):
    """Accept-Datetime is no HTTP date (RFC 7089 asks for a 400)."""

    status = 400
    title = "Bad Request"
    type = PROBLEM_BASE + "invalid-accept-datetime"


class Retracted(BriefingError):
    """The article and every answer it gave were retracted (`retracted_at`)."""

    status = 410
    title = "Gone"
    type = PROBLEM_BASE + "retracted"


class AuthError(BriefingError):
    status = 401
    title = "Unauthorized"
    type = PROBLEM_BASE + "unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="briefing"'}


class MissingToken(AuthError):
    pass


class InvalidToken(AuthError):
    pass


class WritesDisabled(AuthError):
    status = 403
    title = "Forbidden"
    type = PROBLEM_BASE + "writes-disabled"

    def headers(self) -> dict[str, str]:
        return {}


class ArticleTooBig(BriefingError):
    status = 413
    title = "Content Too Large"
    type = PROBLEM_BASE + "article-too-big"


class UnsupportedMediaType(BriefingError):
    status = 415
    title = "Unsupported Media Type"
    type = PROBLEM_BASE + "unsupported-media-type"


class ArticleIdCollision(BriefingError):
    """Two different texts share the 64-bit article id (about 2**-64 per pair)."""

    status = 409
    title = "Conflict"
    type = PROBLEM_BASE + "article-id-collision"


class PreconditionFailed(BriefingError):
    """If-Match named no current representation."""

    status = 412
    title = "Precondition Failed"
    type = PROBLEM_BASE + "precondition-failed"


class TooManyAuthFailures(BriefingError):
    """Too many failed authentications from one address; Retry-After says when."""

    status = 429
    title = "Too Many Requests"
    type = PROBLEM_BASE + "too-many-auth-failures"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class StoreUnavailable(BriefingError):
    status = 503
    title = "Service Unavailable"
    type = PROBLEM_BASE + "store-unavailable"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


class HttpProblem(BriefingError):
    """A refusal the status says all about (RFC 9457 `about:blank`): 404, 405, ..."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self._headers = headers or {}

    def headers(self) -> dict[str, str]:
        return dict(self._headers)
