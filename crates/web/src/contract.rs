//! The statuses every operation can answer besides its own, added to the OpenAPI
//! document once, by rule, so that the contract says what the code does: the officer
//! API's 401 and 403, a body's 400, 413 and 415, a path parameter's 404, and 503 when
//! the database does not answer. Each handler's `#[utoipa::path]` lists only what is
//! particular to it. Checked by schemathesis in the test command
//! (`scripts/schemathesis.sh`).

use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// Whether the operation needs a signed-in officer.
fn needs_officer(path: &str, method: &str) -> bool {
    (path.starts_with("/api/v1/officer")
        && !(path == "/api/v1/officer/session" && method == "post"))
        || (path.starts_with("/api/v1/brands/") && matches!(method, "put" | "delete"))
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        });
}

/// Adds the common statuses to every operation of `doc`, and the partner key's
/// security scheme.
pub fn complete(doc: &mut OpenApi) {
    use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "partner_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("cgk_<8 hex>_<43 base64url>")
                    .description(Some(
                        "An API key issued to a partner by an administrator (shown once).",
                    ))
                    .build(),
            ),
        );
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            if needs_officer(path, method) {
                add(op, "401", "Not signed in, or the session ended");
                add(
                    op,
                    "403",
                    "The role may not do this, or the CSRF token (`X-CSRF-Token`) is missing",
                );
            }
            if op.request_body.is_some() {
                add(
                    op,
                    "400",
                    "The body could not be read (malformed JSON or form)",
                );
                add(op, "413", "The body is larger than the operation accepts");
                add(op, "415", "Another content type than the operation accepts");
                add(op, "422", "Invalid fields, each named");
            }
            let has_query = op.parameters.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
            });
            if has_query {
                add(
                    op,
                    "400",
                    "The query string could not be read (a value of the wrong type)",
                );
            }
            if path.contains('{') {
                add(op, "404", "Nothing with this key or id");
            }
            add(op, "503", "The database does not answer; try again shortly");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn officer_operations_are_recognised() {
        use super::needs_officer;
        assert!(needs_officer("/api/v1/officer/reports", "get"));
        assert!(!needs_officer("/api/v1/officer/session", "post"));
        assert!(needs_officer("/api/v1/officer/session", "delete"));
        assert!(needs_officer("/api/v1/brands/{key}", "put"));
        assert!(!needs_officer("/api/v1/brands", "get"));
        assert!(!needs_officer("/api/v1/check", "get"));
    }
}
