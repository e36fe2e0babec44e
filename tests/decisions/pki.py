"""Throw-away certification authorities and signers for the signature tests (cryptography), and PDFs signed,
modified after signing or tampered with (pyHanko). Keys are generated once per process: it is the slow part."""
import datetime
import io
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from fpdf import FPDF

PASSWORD = "mat-khau-chung-thu"  # nosec B105 # a throw-away test key's password


@dataclass(frozen=True)
class Identity:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND tỉnh Bắc Ninh"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_ca(common_name: str) -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(key, cert)


def make_signer(ca: Identity, common_name: str) -> Identity:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Identity(key, cert)


def pkcs12_bytes(signer: Identity, ca: Identity, password: str = PASSWORD) -> bytes:
    return pkcs12.serialize_key_and_certificates(b"signer", signer.key, signer.cert, [ca.cert],
                                                 serialization.BestAvailableEncryption(password.encode()))


@dataclass(frozen=True)
class World:
    trusted_ca: Identity
    province: Identity  # signed by trusted_ca
    other_ca: Identity
    outsider: Identity  # signed by other_ca


@cache
def world() -> World:
    trusted = make_ca("CA thử nghiệm tin cậy")
    other = make_ca("CA thử nghiệm không tin cậy")
    return World(trusted, make_signer(trusted, "Chủ tịch UBND tỉnh"), other, make_signer(other, "Người lạ"))


def simple_pdf(text: str = "Quyet dinh so 12/QD-UBND") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def sign(data: bytes, signer: Identity, ca: Identity, field_name: str = "ChuKy1") -> bytes:
    import asn1crypto.keys
    import asn1crypto.x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = asn1crypto.keys.PrivateKeyInfo.load(signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    simple = signers.SimpleSigner(signing_cert=asn1crypto.x509.Certificate.load(signer.der), signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs(
                                      [asn1crypto.x509.Certificate.load(ca.der)]))
    output = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
                     signers.PdfSignatureMetadata(field_name=field_name), signer=simple, output=output)
    return output.getvalue()


def modified_after_signing(signed: bytes) -> bytes:
    """An incremental update replacing the first page's content: the signed revision is intact, the document
    shown is not what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (GIA MAO) Tj ET"))
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def tampered(signed: bytes) -> bytes:
    """One byte of the signed range changed in place (a digit of the creation date): the digest no longer
    matches."""
    position = signed.index(b"/CreationDate (D:") + len(b"/CreationDate (D:")
    digit = b"1" if signed[position:position + 1] != b"1" else b"2"
    return signed[:position] + digit + signed[position + 1:]
