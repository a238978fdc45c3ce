//! Renders a VietQR payload as a PNG (for test fixtures):
//! `cargo run -p canhgiac-detect --example render_vietqr -- PAYLOAD OUT.png`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(payload), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: render_vietqr PAYLOAD OUT.png".into());
    };
    // the payload must decode before it is drawn
    canhgiac_detect::vietqr::decode_payload(&payload)?;
    let code = qrcode::QrCode::new(payload.as_bytes())?;
    let img = code
        .render::<image::Luma<u8>>()
        .min_dimensions(300, 300)
        .build();
    img.save(&out)?;
    Ok(())
}
