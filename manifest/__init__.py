"""The Teams app package: manifest template, icons and the builder behind ``dialoog manifest``."""

from manifest.build import Developer, ManifestError, build_manifest, write_manifest_zip

__all__ = ["Developer", "ManifestError", "build_manifest", "write_manifest_zip"]
