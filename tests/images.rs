//! Images: articles as folders with their files, lead images with credits, and variants
//! made at build time. Every image here is made by the test, small.

mod common;

use common::TestSite;

/// A JPEG (or, by the extension, PNG) of `width` × `height` with a gradient, so encoders
/// have something to encode.
fn image_bytes(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    image_bytes(width, height, image::ImageFormat::Jpeg)
}

/// A bundle `content/camera/` with a 2000 × 1000 lead image, a PNG in its body and a PDF.
fn site_with_a_bundle() -> TestSite {
    let site = TestSite::new();
    site.write("content/camera/hero.jpg", jpeg(2000, 1000));
    site.write(
        "content/camera/chart.png",
        image_bytes(600, 300, image::ImageFormat::Png),
    );
    site.write("content/camera/spec.pdf", "%PDF-1.4 not really");
    site.write(
        "content/camera/notes.md",
        "Notes beside the article, not an article.",
    );
    site.write(
        "content/camera/index.md",
        "+++\ntitle = \"The camera\"\ndate = 2024-05-01\ntags = [\"Cameras\"]\nimage = \"hero.jpg\"\nimage_alt = \"A camera on a desk\"\nimage_credit = \"Ann Lee\"\nimage_caption = \"The review unit.\"\n+++\nThe chart: ![Sales by month](chart.png \"Sales\")\n\nThe [spec sheet](spec.pdf).\n",
    );
    // Newer, without an image: the front page still leads with the camera (the newest
    // story with one), and lists show the camera as a card.
    site.story("other", "Other", "2024-06-01");
    site
}

/// The output file a page's `src`/`srcset` URL names.
fn output_path(url: &str) -> String {
    format!(
        "public/{}",
        url.strip_prefix("https://example.org/").unwrap()
    )
}

fn dimensions(site: &TestSite, url: &str) -> (u32, u32, image::ImageFormat) {
    let path = site.path().join(output_path(url));
    let reader = image::ImageReader::open(&path)
        .unwrap()
        .with_guessed_format()
        .unwrap();
    let format = reader.format().unwrap();
    let (w, h) = reader.into_dimensions().unwrap();
    (w, h, format)
}

/// Every URL of a `srcset` attribute value.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    srcset
        .split(", ")
        .map(|c| c.split(' ').next().unwrap())
        .collect()
}

fn attribute<'a>(html: &'a str, after: &str, name: &str) -> &'a str {
    let from = &html[html
        .find(after)
        .unwrap_or_else(|| panic!("{after} in {html}"))..];
    let start = from.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let rest = &from[start..];
    &rest[..rest.find('"').unwrap()]
}

#[test]
fn an_article_folder_publishes_its_files_at_its_url() {
    let site = site_with_a_bundle();
    site.build();
    assert!(site.read("public/camera/index.html").contains("The camera"));
    assert_eq!(site.read("public/camera/spec.pdf"), "%PDF-1.4 not really");
    assert!(site.exists("public/camera/hero.jpg"));
    // Markdown beside it is a note, neither an article nor a published file.
    assert!(!site.exists("public/notes/index.html") && !site.exists("public/camera/notes.md"));
    // Its relative links lead there, and feeds make them absolute.
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains("https://example.org/camera/spec.pdf"),
        "{atom}"
    );
    site.run(&["check"]).success();
}

#[test]
fn lead_images_get_variants_of_each_width_in_webp_and_their_own_format() {
    let site = site_with_a_bundle();
    site.build();
    let page = site.read("public/camera/index.html");
    let figure = &page[page.find("<figure class=\"lead-image\">").unwrap()..];
    let figure = &figure[..figure.find("</figure>").unwrap()];
    // Own format: 480, 960, 1600 wide, never upscaled, the height in proportion.
    let jpegs = srcset_urls(attribute(figure, "<img", "srcset"));
    let sizes: Vec<(u32, u32, image::ImageFormat)> =
        jpegs.iter().map(|u| dimensions(&site, u)).collect();
    use image::ImageFormat::{Jpeg, Png, WebP};
    assert_eq!(
        sizes,
        [(480, 240, Jpeg), (960, 480, Jpeg), (1600, 800, Jpeg)]
    );
    let webps = srcset_urls(attribute(figure, "<source", "srcset"));
    let sizes: Vec<_> = webps.iter().map(|u| dimensions(&site, u)).collect();
    assert_eq!(
        sizes,
        [(480, 240, WebP), (960, 480, WebP), (1600, 800, WebP)]
    );
    // The fallback `src` with its size, eager and first in line on the article's page.
    assert!(
        figure.contains(
            "width=\"960\" height=\"480\" alt=\"A camera on a desk\" fetchpriority=\"high\""
        ),
        "{figure}"
    );
    assert!(figure.contains("<source type=\"image/webp\""));
    assert!(figure.contains(
        "<figcaption>The review unit. <span class=\"credit\">Image: Ann Lee</span></figcaption>"
    ));
    // A body image becomes a lazy <picture> of its variants, its alt and title kept; a
    // 600-pixel image is not made larger.
    let body = &page[page.find("<div class=\"body\">").unwrap()..];
    let pngs = srcset_urls(attribute(body, "<img", "srcset"));
    let sizes: Vec<_> = pngs.iter().map(|u| dimensions(&site, u)).collect();
    assert_eq!(sizes, [(480, 240, Png), (600, 300, Png)]);
    assert!(
        body.contains("width=\"600\" height=\"300\" alt=\"Sales by month\" title=\"Sales\" loading=\"lazy\" decoding=\"async\"></picture>"),
        "{body}"
    );
    // Lists show the smallest variant, lazily, beside the story.
    let list = site.read("public/tags/cameras/index.html");
    let card = &list[list.find("class=\"thumb\"").unwrap()..];
    assert!(
        card.contains("width=\"480\" height=\"240\" alt=\"\" loading=\"lazy\""),
        "{card}"
    );

    // Leading the front page, the image is the page's largest paint: fetched first.
    let home = site.read("public/index.html");
    let lead = &home[home.find("class=\"lead-image\"").unwrap()..];
    let lead = &lead[..lead.find("</a>").unwrap()];
    assert!(
        lead.contains("fetchpriority=\"high\"") && !lead.contains("lazy"),
        "{lead}"
    );
}

#[test]
fn lead_images_are_in_the_metadata_and_the_feeds() {
    let site = site_with_a_bundle();
    site.build();
    let page = site.read("public/camera/index.html");
    let large = attribute(&page, "property=\"og:image\"", "content");
    assert_eq!(dimensions(&site, large).0, 1600);
    for meta in [
        "<meta property=\"og:image:width\" content=\"1600\">",
        "<meta property=\"og:image:height\" content=\"800\">",
        "<meta property=\"og:image:alt\" content=\"A camera on a desk\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
    ] {
        assert!(page.contains(meta), "{meta}");
    }
    assert!(page.contains(&format!(
        "\"image\": {{\"@type\": \"ImageObject\", \"url\": \"{large}\", \"width\": 1600, \"height\": 800}}"
    )));
    // Feeds: Media RSS in both XML feeds, an enclosure in Atom, `image` in JSON Feed.
    let media = format!(
        "<media:content xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"{large}\" medium=\"image\" type=\"image/jpeg\" width=\"1600\" height=\"800\"/>"
    );
    assert!(site.read("public/rss.xml").contains(&media));
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains(&media)
            && atom.contains(&format!(
                "<link rel=\"enclosure\" href=\"{large}\" type=\"image/jpeg\"/>"
            ))
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("public/feed.json")).unwrap();
    assert_eq!(json["items"][1]["image"], large);
    // An article without an image says so nowhere.
    let other = site.read("public/other/index.html");
    assert!(!other.contains("og:image") && other.contains("content=\"summary\""));
}

#[test]
fn the_image_cache_makes_each_variant_once_and_forgets_unused_ones() {
    let site = site_with_a_bundle();
    let first = site.build().stdout();
    assert!(first.contains("10 image variants made"), "{first}");
    let cache = site.path().join(".gazette-cache/images");
    let listing = || {
        let mut names: Vec<(String, std::time::SystemTime)> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        names.sort();
        names
    };
    let cached = listing();
    // The variants, and a copy of each original (see below).
    assert_eq!(cached.len(), 12);
    // A build from scratch (output and record gone) makes nothing: the same bytes again.
    let before = site.tree("public");
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    std::fs::remove_file(site.path().join(".public.gazette-cache")).unwrap();
    let second = site.build().stdout();
    assert!(!second.contains("image variants made"), "{second}");
    assert_eq!(listing(), cached);
    assert_eq!(site.tree("public"), before);
    // A new image is made; the old one's variants leave the cache.
    site.write("content/camera/hero.jpg", jpeg(1000, 1000));
    let third = site.build().stdout();
    assert!(third.contains("6 image variants made"), "{third}");
    assert_eq!(listing().len(), 12);
    let page = site.read("public/camera/index.html");
    assert!(
        page.contains("width=\"960\" height=\"960\""),
        "the new image's size"
    );
}

/// Variants are hard links to the cache's files where both are on one file system (a build
/// copies no image bytes), and a cache file deleted between builds is made again.
#[cfg(unix)]
#[test]
fn variants_in_the_output_are_the_caches_files_and_a_lost_one_is_made_again() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_a_bundle();
    site.build();
    let cache = site.path().join(".gazette-cache/images");
    let inode = |path: &std::path::Path| std::fs::metadata(path).unwrap().ino();
    let cached: std::collections::HashSet<u64> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| inode(&e.unwrap().path()))
        .collect();
    let page = site.read("public/camera/index.html");
    let figure = &page[page.find("<figure class=\"lead-image\">").unwrap()..];
    let mut urls = srcset_urls(attribute(figure, "<img", "srcset"));
    urls.extend(srcset_urls(attribute(figure, "<source", "srcset")));
    assert_eq!(urls.len(), 6);
    for url in &urls {
        let file = site.path().join(output_path(url));
        assert!(
            cached.contains(&inode(&file)),
            "{url} is not the cache's file"
        );
    }
    // The cache lost its files, the output and its record are gone: all made again.
    for entry in std::fs::read_dir(&cache).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    std::fs::remove_file(site.path().join(".public.gazette-cache")).unwrap();
    let again = site.build().stdout();
    assert!(again.contains("10 image variants made"), "{again}");
    assert_eq!(site.read("public/camera/index.html"), page);
    for url in &urls {
        assert!(site.exists(&output_path(url)), "{url}");
    }
}

/// An image's original is published from the cache's copy, linked like the variants (a
/// build with a warm cache copies no image bytes), while other files beside the article
/// are copied; the copy is of the bytes the image has now.
#[cfg(unix)]
#[test]
fn the_original_in_the_output_is_the_caches_copy_of_its_bytes() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with_a_bundle();
    site.build();
    let inode = |path: &std::path::Path| std::fs::metadata(path).unwrap().ino();
    let cache = site.path().join(".gazette-cache/images");
    let cached: std::collections::HashSet<u64> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| inode(&e.unwrap().path()))
        .collect();
    for file in ["camera/hero.jpg", "camera/chart.png"] {
        let published = site.path().join("public").join(file);
        assert!(cached.contains(&inode(&published)), "{file}");
        assert_eq!(
            std::fs::read(&published).unwrap(),
            std::fs::read(site.path().join("content").join(file)).unwrap()
        );
    }
    assert!(!cached.contains(&inode(&site.path().join("public/camera/spec.pdf"))));
    // Built from scratch, with the cache warm: the same files again.
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    std::fs::remove_file(site.path().join(".public.gazette-cache")).unwrap();
    site.build();
    assert!(cached.contains(&inode(&site.path().join("public/camera/hero.jpg"))));
}

/// An image edited in place gets new output even if the edit kept its size and its
/// modification time (as `touch -r` or a copy that keeps times does): nothing of the
/// cache named by the old bytes is published for the new ones.
#[test]
fn an_image_edited_in_place_keeping_its_size_and_time_gets_new_output() {
    // The same picture with a comment of the same length, other bytes.
    let commented = |comment: &[u8; 5]| {
        let picture = jpeg(2000, 1000);
        let mut bytes = picture[..2].to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe, 0, 7]);
        bytes.extend_from_slice(comment);
        bytes.extend_from_slice(&picture[2..]);
        bytes
    };
    let (old, new) = (commented(b"first"), commented(b"other"));
    let site = site_with_a_bundle();
    site.write("content/camera/hero.jpg", &old);
    site.build();
    let source = site.path().join("content/camera/hero.jpg");
    let time = std::fs::metadata(&source).unwrap().modified().unwrap();
    let srcset = |site: &TestSite| {
        let page = site.read("public/camera/index.html");
        attribute(&page, "<figure class=\"lead-image\">", "srcset").to_string()
    };
    let before = srcset(&site);
    {
        use std::io::Write;
        let mut file = std::fs::File::options().write(true).open(&source).unwrap();
        file.write_all(&new).unwrap();
        file.set_modified(time).unwrap();
    }
    assert_eq!(
        std::fs::metadata(&source).unwrap().modified().unwrap(),
        time
    );
    site.build();
    let published = std::fs::read(site.path().join("public/camera/hero.jpg")).unwrap();
    assert!(published == new, "the edited bytes are published");
    assert_ne!(srcset(&site), before, "new variants, new names");
}

/// A published image file edited in place (which edits the cache's file it is linked to),
/// or a cache file edited, replaced or deleted by hand, is made again from the source:
/// never published as it is.
#[test]
fn image_files_touched_by_hand_in_the_output_or_the_cache_are_made_again() {
    let site = site_with_a_bundle();
    site.build();
    let clean = site.tree("public");
    let page = site.read("public/camera/index.html");
    let variant = output_path(srcset_urls(attribute(&page, "<img", "srcset"))[0]);
    let append = |path: &std::path::Path| {
        use std::io::Write;
        let mut file = std::fs::File::options().append(true).open(path).unwrap();
        file.write_all(b"edited by hand").unwrap();
    };
    // Edited in place in the output, the original and a variant.
    append(&site.path().join("public/camera/hero.jpg"));
    append(&site.path().join(&variant));
    site.build();
    assert!(site.tree("public") == clean, "as built clean");
    // In the cache: each file edited in place, one replaced, one deleted.
    let cache = site.path().join(".gazette-cache/images");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in &files {
        append(file);
    }
    std::fs::remove_file(&files[0]).unwrap();
    std::fs::write(&files[1], "replaced by hand").unwrap();
    site.build();
    assert!(site.tree("public") == clean, "as built clean");
    // And from scratch, the output and its record gone.
    for file in &files {
        append(file);
    }
    std::fs::remove_dir_all(site.path().join("public")).unwrap();
    std::fs::remove_file(site.path().join(".public.gazette-cache")).unwrap();
    site.build();
    assert!(site.tree("public") == clean, "as built clean");
}

#[test]
fn an_image_under_static_or_a_url_works_for_any_article() {
    let site = TestSite::new();
    site.write("static/images/wide.jpg", jpeg(800, 400));
    site.article(
        "local",
        "title = \"Local\"\ndate = 2024-01-01\nimage = \"/images/wide.jpg\"\nimage_alt = \"Wide\"",
        "Text.",
    );
    site.article(
        "remote",
        "title = \"Remote\"\ndate = 2024-01-02\nimage = \"https://cdn.example.net/a.jpg\"\nimage_alt = \"Far\"",
        "Text.",
    );
    site.build();
    let local = site.read("public/local/index.html");
    let figure = &local[local.find("<figure").unwrap()..];
    let srcset = srcset_urls(attribute(figure, "<img", "srcset"));
    assert!(
        srcset[0].starts_with("https://example.org/images/wide-480."),
        "{srcset:?}"
    );
    assert_eq!(
        dimensions(&site, srcset[1]),
        (800, 400, image::ImageFormat::Jpeg)
    );
    let remote = site.read("public/remote/index.html");
    assert!(
        remote.contains(
            "<img src=\"https://cdn.example.net/a.jpg\" alt=\"Far\" fetchpriority=\"high\">"
        ),
        "{remote}"
    );
    assert!(
        remote.contains("<meta property=\"og:image\" content=\"https://cdn.example.net/a.jpg\">")
    );
}

#[test]
fn a_lead_image_without_alt_text_warns_in_build_and_fails_check() {
    let site = site_with_a_bundle();
    let text = site
        .read("content/camera/index.md")
        .replace("image_alt = \"A camera on a desk\"\n", "");
    site.write("content/camera/index.md", text);
    let built = site.build();
    assert!(
        built
            .stderr()
            .contains("content/camera/index.md: the lead image has no `image_alt`"),
        "{}",
        built.stderr()
    );
    let out = site.check_fails();
    assert!(
        out.contains("content/camera/index.md: the lead image has no `image_alt`"),
        "{out}"
    );
}

#[test]
fn bad_images_are_errors_naming_the_article_and_the_image() {
    let site = site_with_a_bundle();
    site.build();
    let set_image = |image: &str| {
        site.write(
            "content/camera/index.md",
            format!("+++\ntitle = \"The camera\"\ndate = 2024-05-01\nimage = \"{image}\"\nimage_alt = \"x\"\n+++\nText.\n"),
        );
    };
    // Missing, beside the article or under static/.
    set_image("gone.jpg");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains(
            "content/camera/index.md:4:9: image \"gone.jpg\" is not in the article's folder"
        ),
        "{stderr}"
    );
    set_image("/images/gone.jpg");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("content/camera/index.md:4: image \"/images/gone.jpg\": no such file"),
        "{stderr}"
    );
    // Leaving the site.
    set_image("../other.md");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("image \"../other.md\" leaves the site"),
        "{stderr}"
    );
    // Not an image, or a damaged one.
    site.write("content/camera/text.jpg", "just text");
    set_image("text.jpg");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("content/camera/index.md:4: image \"text.jpg\": content/camera/text.jpg is not an image Gazette can read (JPEG, PNG, WebP or GIF)"),
        "{stderr}"
    );
    site.write("content/camera/cut.png", common::damaged_png(40, 20));
    set_image("cut.png");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains(
            "content/camera/index.md:4: image \"cut.png\": content/camera/cut.png is damaged"
        ),
        "{stderr}"
    );
    // A decompression bomb: a PNG claiming 20,000 × 20,000 pixels, refused before decoding.
    site.write(
        "content/camera/bomb.png",
        common::damaged_png(20_000, 20_000),
    );
    set_image("bomb.png");
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("content/camera/index.md:4: image \"bomb.png\": content/camera/bomb.png is 20000 × 20000 pixels, more than the 64 million `images.max_megapixels` allows"),
        "{stderr}"
    );
    // A relative image in an article that is a single file.
    std::fs::remove_dir_all(site.path().join("content/camera")).unwrap();
    site.article(
        "single",
        "title = \"Single\"\ndate = 2024-01-01\nimage = \"pic.jpg\"",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains(
            "content/single.md:4:9: image \"pic.jpg\" would be a file beside the article"
        ),
        "{stderr}"
    );
}

#[test]
fn vector_images_in_the_text_are_shown_as_they_are_but_cannot_lead() {
    let site = TestSite::new();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>";
    site.write("static/images/logo.svg", svg);
    site.article(
        "diagram",
        "title = \"Diagram\"\ndate = 2024-01-01",
        "![The logo](/images/logo.svg)",
    );
    site.build();
    let page = site.read("public/diagram/index.html");
    assert!(
        page.contains("<img src=\"/images/logo.svg\" alt=\"The logo\" />"),
        "no variants, no picture: {page}"
    );
    assert_eq!(site.read("public/images/logo.svg"), svg);
    site.article(
        "diagram",
        "title = \"Diagram\"\ndate = 2024-01-01\nimage = \"/images/logo.svg\"\nimage_alt = \"The logo\"",
        "Text.",
    );
    let stderr = site.build_fails_keeping_output();
    assert!(
        stderr.contains("static/images/logo.svg is not an image Gazette can read"),
        "a lead image needs a size for feeds and previews: {stderr}"
    );
}

#[test]
fn an_older_imports_extra_image_credit_is_still_the_credit() {
    let site = TestSite::new();
    site.article(
        "old",
        "title = \"Old\"\ndate = 2024-01-01\n\n[extra]\nimage_credit = \"Flickr (Thomas An)\"",
        "Text.",
    );
    site.build();
    assert!(
        site.read("public/old/index.html")
            .contains("<p class=\"credit\">Image credit: Flickr (Thomas An)</p>")
    );
}

#[test]
fn templates_ask_for_other_images_with_the_image_function() {
    let site = TestSite::new();
    site.story("one", "One", "2024-01-01");
    site.write(
        "static/images/logo.png",
        image_bytes(400, 200, image::ImageFormat::Png),
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% set logo = image(path=\"/images/logo.png\", width=100, format=\"webp\") %}{% set full = image(path=\"/images/logo.png\") %}<img src=\"{{ logo.url }}\" width=\"{{ logo.width }}\" height=\"{{ logo.height }}\" alt=\"\"><img src=\"{{ full.url }}\" width=\"{{ full.width }}\" alt=\"\">{% endblock content %}",
    );
    site.build();
    let page = site.read("public/404.html");
    let url = attribute(&page, "<img", "src");
    assert!(page.contains("width=\"100\" height=\"50\""), "{page}");
    assert_eq!(dimensions(&site, url), (100, 50, image::ImageFormat::WebP));
    let full = &page[page.find("width=\"100\"").unwrap()..];
    let full_url = attribute(full, "<img", "src");
    assert_eq!(
        dimensions(&site, full_url),
        (400, 200, image::ImageFormat::Png)
    );
    // A file that is not there, or arguments that are not literals: the template's line.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}\n{% set x = image(path=\"/images/none.png\") %}{{ x.url }}{% endblock content %}",
    );
    let stderr = site.run(&["build"]).failure();
    assert!(
        stderr.contains("templates/404.html:2: image(path=\"/images/none.png\"): no such file"),
        "{stderr}"
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% set x = image(path=site.extra.logo) %}{{ x.url }}{% endblock content %}",
    );
    let stderr = site.run(&["build"]).failure();
    assert!(
        stderr.contains("templates/404.html:1: image(): `path` must be written as a literal"),
        "{stderr}"
    );
}

/// A credit that says what it is ("Photo: …") is shown as written, not after a second
/// label ("Image: Photo: …"); one that does not gets the theme's.
#[test]
fn a_credit_with_a_label_of_its_own_is_not_labelled_again() {
    let site = TestSite::new();
    site.write("content/camera/hero.jpg", jpeg(400, 200));
    site.write(
        "content/camera/index.md",
        "+++\ntitle = \"The camera\"\ndate = 2024-05-01\nimage = \"hero.jpg\"\nimage_alt = \"A camera\"\nimage_credit = \"Photo: Ann Lee\"\n+++\nText.\n",
    );
    site.article(
        "old",
        "title = \"Old\"\ndate = 2024-01-01\nimage_credit = \"Illustration: Bo Chen\"",
        "Text.",
    );
    site.build();
    let page = site.read("public/camera/index.html");
    assert!(
        page.contains("<figcaption> <span class=\"credit\">Photo: Ann Lee</span></figcaption>"),
        "{page}"
    );
    assert!(
        site.read("public/old/index.html")
            .contains("<p class=\"credit\">Illustration: Bo Chen</p>")
    );
}
