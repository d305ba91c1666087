//! The trivial Tauri 2 app P5 measures Entra Desk against: one window with one static page. It
//! reports its page as loaded the way Entra Desk does under `cargo xtask bench` (a `BENCH-READY`
//! line on stdout when `ENTRA_DESK_BENCH_READY` is set), so both starts are timed alike.

fn main() {
    let ready = std::env::var_os("ENTRA_DESK_BENCH_READY").is_some();
    let result = tauri::Builder::default()
        .on_page_load(move |webview, payload| {
            if ready && matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                println!("BENCH-READY {}", webview.label());
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error while running the trivial app: {e}");
        std::process::exit(1);
    }
}
