//! The publishing workflow (`.github/workflows/pages.yml`, also written by `gazette init`)
//! is valid YAML with the steps publishing needs, in order.

use yaml_rust2::{Yaml, YamlLoader};

fn workflow() -> Yaml {
    let text = std::fs::read_to_string(".github/workflows/pages.yml").unwrap();
    YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0)
}

fn step_text(step: &Yaml) -> String {
    format!(
        "{} {}",
        step["uses"].as_str().unwrap_or(""),
        step["run"].as_str().unwrap_or("")
    )
}

#[test]
fn the_workflow_checks_builds_and_deploys_to_github_pages() {
    let w = workflow();
    let branches: Vec<&str> = w["on"]["push"]["branches"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(branches, ["main"]);
    assert_eq!(w["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(w["permissions"]["id-token"].as_str(), Some("write"));

    let steps: Vec<String> = w["jobs"]["build"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .map(step_text)
        .collect();
    let at = |needle: &str| {
        steps
            .iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle:?}: {steps:#?}"))
    };
    assert!(at("actions/checkout") < at("actions/cache"));
    assert!(at("actions/cache") < at("gazette check"), "cargo is cached");
    assert!(
        at("gazette check") < at("gazette build"),
        "check, then build"
    );
    assert!(at("gazette build") < at("actions/upload-pages-artifact"));
    assert!(steps[at("gazette build")].contains("--base-url"));
    assert!(steps[at("actions/cache")].contains("actions/cache"));

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(step_text(&deploy["steps"][0]).contains("actions/deploy-pages"));
}
