//! Reading image headers, and making variants: decode once, resize (fast_image_resize,
//! SIMD), encode (jpeg-encoder, libwebp through `webp`, `image`'s PNG encoder), write into
//! the cache through a temporary file.
//!
//! Invariant: a damaged image is an error, never a published guess. Decoders fill in what
//! a file lacks: JPEGs are decoded by zune-jpeg in its strict mode (`image` runs it
//! lenient, and a JPEG cut to a third became four grey-bottomed variants), PNG and WebP by
//! `image`, which stops at a cut; GIFs, published as they are, have their blocks walked to
//! the trailer when their header is read.

use std::io::Cursor;

use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use thiserror::Error;

use std::collections::HashSet;
use std::path::Path;

use super::ledger::Ledger;
use super::{Encoding, Format, ImageError, Images, Prepared, Probe, Variant};
use crate::config::ImagesConfig;

/// What WebP variants add to `images.quality` (see `encode`).
const WEBP_QUALITY_BONUS: u8 = 2;

/// What a build made of images.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Made {
    /// Variants made (not found in the cache).
    pub variants: usize,
}

/// The header of an image file: its format and size as shown. `None` when the bytes are
/// not an image of a format Gazette reads.
pub fn probe(bytes: &[u8]) -> Option<Probe> {
    // The size is checked against `max_megapixels` by the caller, with a clear message:
    // the library's own limits would only make it unreadable.
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.no_limits();
    let format = match reader.format()? {
        ImageFormat::Jpeg => Format::Jpeg,
        ImageFormat::Png => Format::Png,
        ImageFormat::WebP => Format::Webp,
        ImageFormat::Gif => Format::Gif,
        _ => return None,
    };
    let mut decoder = reader.into_decoder().ok()?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if turns(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    (width > 0 && height > 0).then(|| Probe {
        hash: crate::hash::named(bytes),
        width,
        height,
        format,
    })
}

/// Whether an EXIF orientation swaps width and height.
fn turns(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Makes what the cache lacks of each image — the files its ledger does not vouch for —
/// in parallel, and records them in the ledger.
pub fn make_missing(images: &Images, config: &ImagesConfig) -> Result<Made, ImageError> {
    let Some(first) = images.by_path.values().next() else {
        return Ok(Made::default());
    };
    let dir = first
        .original
        .parent()
        .expect("cache files are in a folder");
    let mut ledger = Ledger::read(dir);
    let todo: Vec<(&Prepared, Vec<&Path>)> = images
        .by_path
        .values()
        .filter_map(|p| {
            let missing: Vec<&Path> = p.cache_files().filter(|f| !ledger.vouches_for(f)).collect();
            (!missing.is_empty()).then_some((p, missing))
        })
        .collect();
    if todo.is_empty() {
        return Ok(Made::default());
    }
    std::fs::create_dir_all(dir).map_err(|source| ImageError::Cache {
        path: dir.to_path_buf(),
        source,
    })?;
    let made = crate::parallel::try_map(&todo, |(p, missing)| make(p, missing, config))?;
    for file in todo.iter().flat_map(|(_, missing)| missing) {
        ledger.record(file);
    }
    let used: HashSet<&str> = images
        .by_path
        .values()
        .flat_map(Prepared::cache_files)
        .filter_map(|f| f.file_name()?.to_str())
        .collect();
    ledger.write(dir, &used);
    Ok(Made {
        variants: made.into_iter().sum(),
    })
}

/// Makes the files `missing` of one image's (its variants, the copy of its original);
/// returns how many variants it made.
fn make(p: &Prepared, missing: &[&Path], config: &ImagesConfig) -> Result<usize, ImageError> {
    let bytes = std::fs::read(&p.file).map_err(|source| ImageError::Unreadable {
        place: p.place.describe(&p.written),
        image: p.written.clone(),
        file: p.file.clone(),
        source,
    })?;
    // Every file made here is named by the hash planning read: bytes edited since would
    // be kept under the old bytes' name, and shown where those are.
    if crate::hash::named(bytes.as_slice()) != p.probe.hash {
        return Err(ImageError::Changed {
            place: p.place.describe(&p.written),
            image: p.written.clone(),
            file: p.file.clone(),
        });
    }
    if missing.contains(&p.original.as_path()) {
        crate::files::write_whole(&p.original, &bytes).map_err(|source| ImageError::Cache {
            path: p.original.clone(),
            source,
        })?;
    }
    let variants: Vec<&Variant> = p
        .variants
        .iter()
        .chain(&p.extra)
        .filter(|v| missing.contains(&v.cache_file.as_path()))
        .collect();
    if variants.is_empty() {
        return Ok(0);
    }
    make_variants(p, &variants, bytes, config)
}

/// Makes `variants` of image `p`, whose file holds `bytes`: decoded once, resized once per
/// width, encoded once per variant; returns how many.
fn make_variants(
    p: &Prepared,
    variants: &[&Variant],
    bytes: Vec<u8>,
    config: &ImagesConfig,
) -> Result<usize, ImageError> {
    let corrupt = |message: String| ImageError::Corrupt {
        place: p.place.describe(&p.written),
        image: p.written.clone(),
        file: p.file.clone(),
        message,
    };
    let mut reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| corrupt(e.to_string()))?;
    // Planning refused images above `max_megapixels`; this one may use what it needs.
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(|e| corrupt(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = match p.probe.format {
        Format::Jpeg => {
            // Only its orientation was needed of `image`'s reading.
            drop(decoder);
            strict_jpeg(&bytes).map_err(|e| corrupt(e.to_string()))?
        }
        _ => DynamicImage::from_decoder(decoder).map_err(|e| corrupt(e.to_string()))?,
    };
    drop(bytes);
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (pixels, pixel_type, bytes_per_pixel) = if alpha {
        (image.into_rgba8().into_raw(), PixelType::U8x4, 4)
    } else {
        (image.into_rgb8().into_raw(), PixelType::U8x3, 3)
    };
    let (width, height) = (p.probe.width, p.probe.height);
    if pixels.len() != width as usize * height as usize * bytes_per_pixel {
        return Err(corrupt("its size differs from what its header says".into()));
    }
    let source = fast_image_resize::images::ImageRef::new(width, height, &pixels, pixel_type)
        .map_err(|e| corrupt(e.to_string()))?;
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    let mut made = 0;
    // One resize per width, shared by its encodings.
    let mut widths: Vec<(u32, u32)> = variants.iter().map(|v| (v.width, v.height)).collect();
    widths.sort_unstable();
    widths.dedup();
    for (w, h) in widths {
        let resized;
        let data: &[u8] = if (w, h) == (width, height) {
            &pixels
        } else {
            let mut target = fast_image_resize::images::Image::new(w, h, pixel_type);
            resizer
                .resize(&source, &mut target, &options)
                .map_err(|e| corrupt(e.to_string()))?;
            resized = target.into_vec();
            &resized
        };
        // Its encodings in parallel: an edit that replaces one image waits for the
        // slowest encoder, not for all of them in turn.
        let these: Vec<&&Variant> = variants
            .iter()
            .filter(|v| v.width == w && v.height == h)
            .collect();
        crate::parallel::try_map(&these, |variant| {
            let encoded =
                encode(data, w, h, alpha, variant.encoding, config.quality).map_err(corrupt)?;
            crate::files::write_whole(&variant.cache_file, &encoded).map_err(|source| {
                ImageError::Cache {
                    path: variant.cache_file.clone(),
                    source,
                }
            })
        })?;
        made += these.len();
    }
    Ok(made)
}

/// Why an image's bytes are damaged: the decoder's own words, or what a decoded JPEG's
/// header and pixels disagree on.
#[derive(Debug, Error)]
pub enum DamageError {
    #[error("{0}")]
    Jpeg(zune_jpeg::errors::DecodeErrors),
    #[error("it has no size")]
    NoSize,
    #[error("its size differs from what its header says")]
    SizeMismatch,
    #[error("{0}")]
    Gif(gif::DecodingError),
}

/// A JPEG's pixels in RGB, decoded strictly: a cut scan, a broken Huffman code or a marker
/// out of place is an error (the message zune-jpeg gives), not grey rows.
fn strict_jpeg(bytes: &[u8]) -> Result<DynamicImage, DamageError> {
    use zune_jpeg::zune_core::{
        bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions,
    };
    // Planning refused images above `max_megapixels`, so no size limit of the decoder's.
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = decoder.decode().map_err(DamageError::Jpeg)?;
    let (width, height) = decoder.dimensions().ok_or(DamageError::NoSize)?;
    u32::try_from(width)
        .ok()
        .zip(u32::try_from(height).ok())
        .and_then(|(w, h)| image::RgbImage::from_raw(w, h, pixels))
        .map(DynamicImage::ImageRgb8)
        .ok_or(DamageError::SizeMismatch)
}

/// Whether a GIF is whole: its blocks walked to the trailer (no frame decoded).
pub fn gif_is_whole(bytes: &[u8]) -> Result<(), DamageError> {
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options.read_info(bytes).map_err(DamageError::Gif)?;
    while decoder
        .read_next_frame()
        .map_err(DamageError::Gif)?
        .is_some()
    {}
    Ok(())
}

/// Encodes RGB (or, with `alpha`, RGBA) pixels.
fn encode(
    data: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    encoding: Encoding,
    quality: u8,
) -> Result<Vec<u8>, String> {
    match encoding {
        Encoding::Jpeg => {
            let mut out = Vec::with_capacity(data.len() / 10);
            let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
            encoder.set_optimized_huffman_tables(true);
            encoder.set_progressive(true);
            let color = if alpha {
                jpeg_encoder::ColorType::Rgba
            } else {
                jpeg_encoder::ColorType::Rgb
            };
            let too_large = || format!("{width} × {height} is too large for JPEG");
            let w = u16::try_from(width).map_err(|_| too_large())?;
            let h = u16::try_from(height).map_err(|_| too_large())?;
            encoder
                .encode(data, w, h, color)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        Encoding::Webp => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(data, width, height)
            } else {
                webp::Encoder::from_rgb(data, width, height)
            };
            let mut config = webp::WebPConfig::new()
                .map_err(|()| "libwebp rejected its settings".to_string())?;
            // libwebp's effort 0 of 0 to 6 takes a quarter less time than effort 1 (and
            // under a third of its default, 4) for the same fidelity (PSNR 35.55 dB
            // against 35.56 at 960 pixels) in 1 % more bytes; at two points more quality
            // it matches the default at `quality` (measured: docs/performance.md).
            config.method = 0;
            config.quality = f32::from(quality.saturating_add(WEBP_QUALITY_BONUS).min(100));
            config.thread_level = 0;
            let memory = encoder
                .encode_advanced(&config)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            Ok(memory.to_vec())
        }
        Encoding::Png => {
            use image::ImageEncoder;
            let mut out = Vec::new();
            let color = if alpha {
                image::ExtendedColorType::Rgba8
            } else {
                image::ExtendedColorType::Rgb8
            };
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(data, width, height, color)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WebP variants are libwebp's at effort 0 and `quality` + 2 (see `encode`); changing
    /// either changes their bytes, so it must bump `ENCODERS`, which names them.
    #[test]
    fn webp_variants_are_made_at_effort_0_two_points_above_the_quality() {
        let (width, height) = (96u32, 64u32);
        // Noise over a gradient, so that efforts differ in what they find.
        let rgb: Vec<u8> = (0..width * height)
            .flat_map(|i| {
                let (x, y) = (i % width, i / width);
                let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 61;
                [(x * 2 + noise) as u8, (y * 3 + noise) as u8, (x + y) as u8]
            })
            .collect();
        let libwebp = |method: i32, quality: f32| {
            let mut config = webp::WebPConfig::new().unwrap();
            config.method = method;
            config.quality = quality;
            config.thread_level = 0;
            let encoder = webp::Encoder::from_rgb(&rgb, width, height);
            encoder.encode_advanced(&config).unwrap().to_vec()
        };
        let made = encode(&rgb, width, height, false, Encoding::Webp, 75).unwrap();
        assert_eq!(made, libwebp(0, 77.0));
        assert_ne!(
            made,
            libwebp(1, 77.0),
            "effort 1 makes other bytes of this image"
        );
    }

    /// An image whose bytes are not those planning hashed (edited since) makes nothing:
    /// whatever it made would be named by the old bytes.
    #[test]
    fn an_image_changed_since_planning_makes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hero.gif");
        std::fs::write(&file, b"GIF89a, edited since").unwrap();
        let original = dir.path().join("cache/0.original");
        let p = Prepared {
            file: file.clone(),
            url_path: "hero.gif".into(),
            probe: Probe {
                hash: crate::hash::named(b"GIF89a, as planned".as_slice()),
                width: 1,
                height: 1,
                format: Format::Gif,
            },
            variants: Vec::new(),
            extra: Vec::new(),
            original: original.clone(),
            place: super::super::Place::At("content/a.md:3".into()),
            written: "hero.gif".into(),
        };
        let config = ImagesConfig::default();
        let error = make(&p, &[original.as_path()], &config).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "content/a.md:3: image \"hero.gif\": {} changed while the build read it; build again",
                file.display()
            )
        );
        assert!(!original.exists());
        // As planned, the copy is made.
        std::fs::write(&file, b"GIF89a, as planned").unwrap();
        std::fs::create_dir(dir.path().join("cache")).unwrap();
        assert_eq!(make(&p, &[original.as_path()], &config).unwrap(), 0);
        assert_eq!(std::fs::read(&original).unwrap(), b"GIF89a, as planned");
    }

    /// The full text of each damage, as an image's `Corrupt` error quotes it.
    #[test]
    fn damage_errors_print_the_decoders_words() {
        let jpeg = strict_jpeg(b"\xff\xd8\xff").unwrap_err();
        assert!(matches!(jpeg, DamageError::Jpeg(_)));
        assert_eq!(
            jpeg.to_string(),
            "I/O errors Not enough bytes, expected 1 but found 0\n"
        );
        let gif = gif_is_whole(b"GIF89a\x01\x00\x01\x00").unwrap_err();
        assert!(matches!(gif, DamageError::Gif(_)));
        assert_eq!(gif.to_string(), "Unexpected End of File");
        assert_eq!(DamageError::NoSize.to_string(), "it has no size");
        assert_eq!(
            DamageError::SizeMismatch.to_string(),
            "its size differs from what its header says"
        );
    }
}
