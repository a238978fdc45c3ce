//! The check page's forms that are posted: a message (`POST /kiem-tra/tin-nhan`) and
//! a payment QR code as an image or its text (`POST /kiem-tra/ma-qr`).

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::{BankAccount, Identifier};
use canhgiac_core::verdict::format_vnd;
use canhgiac_detect::vietqr::{decode_payload, QrError, MAX_IMAGE_BYTES};
use serde::Deserialize;

use super::analyze_message::analyze_text;
use super::check::{CheckPage, MessageView, QrView, Tab, VerdictView};
use crate::lang::ReqLang;
use crate::pages::render;
use crate::AppState;

/// The message form.
#[derive(Debug, Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    sender: String,
}

/// `POST /kiem-tra/tin-nhan`.
pub async fn page_message(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    form: Result<Form<MessageForm>, FormRejection>,
) -> Response {
    let mut page = CheckPage::new(lang, Tab::Message);
    let (text, sender) = match form {
        Ok(Form(f)) => (f.text, f.sender),
        Err(_) => {
            page.error = Some(unreadable(lang));
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    page.query = text.clone();
    page.sender = sender.clone();
    match analyze_text(&state, &text, &sender, lang) {
        Ok(a) => {
            page.message = Some(MessageView::new(&text, a, lang));
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            page.error = e
                .first()
                .map(|first| (first.code.clone(), first.detail.clone()));
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

fn unreadable(lang: Lang) -> (String, String) {
    (
        "form_unreadable".into(),
        lang.pick(
            "Không đọc được biểu mẫu gửi lên.",
            "The form could not be read.",
        )
        .into(),
    )
}

fn qr_failed(e: &QrError, lang: Lang) -> (String, String) {
    (e.code().to_string(), e.message(lang))
}

/// `POST /kiem-tra/ma-qr`: an image (`image`) or the text of the code (`payload`).
pub async fn page_qr(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::limit::Client(client): crate::limit::Client,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut page = CheckPage::new(lang, Tab::Qr);
    if let Err(wait) = state.limits.qr.take(&state.store, &client).await {
        page.error = Some((
            "too_many_requests".into(),
            format!(
                "{} {} {}",
                lang.pick(
                    "Bạn đã gửi quá nhiều mã; hãy thử lại sau",
                    "Too many codes from you; try again in"
                ),
                wait.as_secs().max(1),
                lang.pick("giây.", "seconds.")
            ),
        ));
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let Ok(mut form) = form else {
        page.error = Some(unreadable(lang));
        return render(StatusCode::BAD_REQUEST, &page);
    };
    let mut image: Option<Vec<u8>> = None;
    let mut payload = String::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) if name == "image" && !bytes.is_empty() => {
                        image = Some(bytes.to_vec())
                    }
                    Ok(bytes) if name == "payload" => {
                        payload = String::from_utf8_lossy(&bytes).trim().to_string()
                    }
                    Ok(_) => {}
                    Err(_) => {
                        page.error = Some(qr_failed(&QrError::ImageTooLarge, lang));
                        return render(StatusCode::PAYLOAD_TOO_LARGE, &page);
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                page.error = Some(unreadable(lang));
                return render(StatusCode::BAD_REQUEST, &page);
            }
        }
    }
    page.query = payload.clone();
    let decoded = match (&image, payload.is_empty()) {
        (Some(bytes), _) if bytes.len() > MAX_IMAGE_BYTES => Err(QrError::ImageTooLarge),
        (Some(bytes), _) => match super::analyze::decode_picture(&state, bytes.clone()).await {
            Some(d) => d,
            None => {
                page.error = Some((
                    "busy".into(),
                    lang.pick(
                        "Máy chủ đang bận xử lý ảnh khác; hãy thử lại sau vài giây.",
                        "The server is busy reading other pictures; try again in a few seconds.",
                    )
                    .into(),
                ));
                return render(StatusCode::SERVICE_UNAVAILABLE, &page);
            }
        },
        (None, false) => decode_payload(&payload),
        (None, true) => {
            page.error = Some((
                "qr_missing".into(),
                lang.pick(
                    "Hãy chọn ảnh mã QR hoặc dán nội dung mã.",
                    "Choose a picture of the QR code or paste its text.",
                )
                .into(),
            ));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    match decoded {
        Ok(code) => {
            let verdict = BankAccount::parse(&code.bank_bin, &code.account)
                .ok()
                .map(Identifier::BankAccount)
                .map(|i| {
                    let v = canhgiac_detect::judge_in(
                        &state.registry(),
                        &i,
                        state.index.lookup(&i).as_ref(),
                        lang,
                    );
                    state.metrics.check_answered(v.level.as_str());
                    VerdictView::new(v, lang)
                });
            page.qr = Some(QrView {
                amount: code.amount_vnd.map(format_vnd).unwrap_or_default(),
                code,
                verdict,
            });
            render(StatusCode::OK, &page)
        }
        Err(e) => {
            page.error = Some(qr_failed(&e, lang));
            render(super::analyze::qr_status(&e), &page)
        }
    }
}
