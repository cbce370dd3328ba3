// Core assembly of Dicom.Typed.
