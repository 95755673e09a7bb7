//! `logkit::tree()` shows every logger, placeholder and handler, as Python's `logging_tree`
//! does. Its own binary: the tree is per process.

use logkit::{FileHandler, Formatter, Handler, Level, NameFilter, StreamHandler, get_logger, root};

#[test]
fn the_tree_shows_each_logger_placeholder_and_handler() {
    let dir = logkit_tests::temp_dir("tree");
    let path = dir.join("app.log");
    let file = FileHandler::options(&path).delay(true).open().unwrap();
    file.set_name("file");
    file.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
    let app = get_logger("app");
    app.set_level(Level::INFO);
    app.set_propagate(false);
    app.add_handler(file);
    let pool = get_logger("app.db.pool");
    pool.add_filter(NameFilter::new("app.db.pool"));
    let console = StreamHandler::stderr();
    console.set_level(Level::ERROR);
    root().add_handler(console);
    get_logger("zeta").set_level(Level::DEBUG);

    let tree = logkit::tree();
    let expected = format!(
        r#"<--""
    Level WARNING
    Handler StreamHandler <stderr> Level ERROR
    o<--"app"
        Level INFO
        Propagate OFF
        Handler FileHandler 'file' {}
            Formatter fmt="%(levelname)s %(message)s"
        o<--[app.db]
            o<--"app.db.pool"
                Level NOTSET so inherits level INFO
                Filter
    o<--"zeta"
        Level DEBUG
"#,
        path.display()
    );
    assert_eq!(tree.to_string(), expected);
    let pool_node = tree.nodes.iter().find(|n| n.name == "app.db.pool").unwrap();
    assert_eq!(
        (pool_node.depth, pool_node.effective_level),
        (3, Level::INFO)
    );
    assert!(
        tree.nodes
            .iter()
            .any(|n| n.name == "app.db" && n.placeholder)
    );
}
