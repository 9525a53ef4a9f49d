//! The publishing workflow (`.github/workflows/pages.yml`, also written by `gazette init`)
//! is valid YAML with the steps publishing needs, in order.

mod common;

use yaml_rust2::{Yaml, YamlLoader};

fn workflow() -> Yaml {
    load(".github/workflows/pages.yml")
}

fn load(path: &str) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap();
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
    assert!(at("actions/checkout@v6") < at("actions/cache@v5"));
    assert!(at("actions/cache") < at("gazette check"), "cargo is cached");
    assert!(
        at("gazette check") < at("gazette build"),
        "check, then build"
    );
    assert!(at("gazette build") < at("actions/upload-pages-artifact@v5"));
    // Checked as it is built: for the Pages URL.
    let base = "--base-url \"${{ steps.pages.outputs.base_url }}/\"";
    assert!(steps[at("gazette check")].contains(base), "{steps:#?}");
    assert!(steps[at("gazette build")].contains(base), "{steps:#?}");
    assert!(steps[at("actions/cache")].contains("actions/cache"));

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(step_text(&deploy["steps"][0]).contains("actions/deploy-pages"));
}

#[test]
fn the_workflow_pins_gazette_runs_daily_and_caches_by_version() {
    let w = workflow();
    // Scheduled articles appear on their day without a push.
    assert!(w["on"]["schedule"][0]["cron"].as_str().is_some());
    let cargo = std::fs::read_to_string("Cargo.toml").unwrap();
    let version = w["env"]["GAZETTE_VERSION"]
        .as_str()
        .expect("a pinned version");
    assert!(
        cargo.contains(&format!("version = \"{version}\"")),
        "GAZETTE_VERSION {version} is not Cargo.toml's"
    );
    let steps = w["jobs"]["build"]["steps"].as_vec().unwrap();
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache"))
        })
        .unwrap();
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains("env.GAZETTE_VERSION"), "{key}");
    let install = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("GAZETTE_GIT"))
        .unwrap();
    assert!(
        install.contains("releases/download/v$GAZETTE_VERSION"),
        "{install}"
    );
    assert!(install.contains("--tag \"v$GAZETTE_VERSION\""), "{install}");

    let release = load(".github/workflows/release.yml");
    assert_eq!(release["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let published: String = release["jobs"]["linux"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(published.contains("gazette-x86_64-unknown-linux-gnu.tar.gz"));
    assert!(published.contains("gh release create"));
}

/// Both workflows validate against GitHub's workflow schema (check-jsonschema, which
/// `.ci/run` installs; on a machine without it the test says so and passes).
#[test]
fn the_workflows_follow_githubs_schema() {
    let found = std::process::Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            !common::tools_required(),
            "check-jsonschema is missing, and CI=true or GAZETTE_REQUIRE_VALIDATOR asks for it"
        );
        eprintln!("skipped: check-jsonschema is not installed");
        return;
    }
    let out = std::process::Command::new("check-jsonschema")
        .args([
            "--builtin-schema",
            "vendor.github-workflows",
            ".github/workflows/pages.yml",
            ".github/workflows/release.yml",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The build record, whose list of published URLs `gazette check` holds the site to, is
/// restored before the check (a fresh runner has none); the URLs of a site an import
/// replaced are in `published.toml`, in git.
#[test]
fn the_workflow_restores_the_build_record_before_the_check() {
    let w = workflow();
    let steps = w["jobs"]["build"]["steps"].as_vec().unwrap();
    let at = |needle: &str| {
        steps
            .iter()
            .position(|s| {
                step_text(s).contains(needle)
                    || s["with"]["path"]
                        .as_str()
                        .is_some_and(|p| p.contains(needle))
            })
            .unwrap_or_else(|| panic!("no step with {needle:?}"))
    };
    let record = at(".public.gazette-cache");
    let paths: Vec<&str> = steps[record]["with"]["path"]
        .as_str()
        .unwrap()
        .lines()
        .collect();
    assert_eq!(paths, [".gazette-cache", ".public.gazette-cache"]);
    assert!(record < at("gazette check"));
    assert!(
        step_text(&steps[at("gazette build")]).contains("--output public"),
        "the record is .<output>.gazette-cache"
    );
}

/// A scheduled story is published within minutes of its time without a push: the workflow
/// runs every ten minutes, and deploys only a site that differs from the one last
/// deployed (whose digest the deploy job saves, once it succeeded), or when run by hand.
#[test]
fn the_workflow_runs_every_ten_minutes_and_deploys_only_a_changed_site() {
    let w = workflow();
    assert_eq!(
        w["on"]["schedule"][0]["cron"].as_str(),
        Some("3-59/10 * * * *")
    );
    let steps = w["jobs"]["build"]["steps"].as_vec().unwrap();
    let at = |needle: &str| {
        steps
            .iter()
            .position(|s| step_text(s).contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle:?}"))
    };
    let restore = at("actions/cache/restore@v5");
    assert_eq!(
        steps[restore]["with"]["path"].as_str(),
        Some(".gazette-deployed")
    );
    assert_eq!(
        steps[restore]["with"]["restore-keys"].as_str(),
        Some("gazette-deployed-")
    );
    let digest = at("gazette digest");
    assert_eq!(
        steps[digest]["run"].as_str(),
        Some("gazette digest --output public --since .gazette-deployed >> \"$GITHUB_OUTPUT\"")
    );
    assert_eq!(steps[digest]["id"].as_str(), Some("digest"));
    assert!(at("gazette build") < restore && restore < digest);
    let upload = at("actions/upload-pages-artifact");
    assert!(digest < upload);
    let when = "steps.digest.outputs.changed == 'true' || github.event_name == 'workflow_dispatch'";
    assert_eq!(steps[upload]["if"].as_str(), Some(when));
    let build = &w["jobs"]["build"];
    assert_eq!(
        build["outputs"]["changed"].as_str(),
        Some("${{ steps.digest.outputs.changed }}")
    );
    assert_eq!(
        build["outputs"]["digest"].as_str(),
        Some("${{ steps.digest.outputs.digest }}")
    );

    let deploy = &w["jobs"]["deploy"];
    assert_eq!(
        deploy["if"].as_str(),
        Some("needs.build.outputs.changed == 'true' || github.event_name == 'workflow_dispatch'")
    );
    let steps: Vec<String> = deploy["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .map(step_text)
        .collect();
    assert_eq!(
        steps,
        [
            "actions/deploy-pages@v5 ",
            " echo \"${{ needs.build.outputs.digest }}\" > .gazette-deployed",
            "actions/cache/save@v5 ",
        ]
    );
    assert_eq!(
        deploy["steps"][2]["with"]["key"].as_str(),
        Some("gazette-deployed-${{ github.run_id }}-${{ github.run_attempt }}")
    );
}
