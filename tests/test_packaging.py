"""The addon ships as OCA ships addons: a wheel built by whool from crm_industrial/."""

import os
import subprocess
import sys
import zipfile

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pip_wheel_builds_odoo_addon_crm_industrial(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
         "-w", str(tmp_path), os.path.join(REPO_DIR, "crm_industrial")],
        check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = tmp_path.glob("odoo_addon_crm_industrial-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
    assert "odoo/addons/crm_industrial/__manifest__.py" in names
    assert "odoo/addons/crm_industrial/i18n/zh_CN.po" in names
    assert "odoo/addons/crm_industrial/demo/i18n/zh_CN.csv" in names, "the demo story in Chinese"
    assert "odoo/addons/crm_industrial/security/ir.model.access.csv" in names
    assert "Name: odoo-addon-crm_industrial" in metadata
    assert "Requires-Dist: odoo==18.0.*" in metadata


def test_pip_wheel_builds_odoo_addon_crm_industrial_stock(tmp_path):
    """The bridge to the inventory packages the same way, and says what it needs."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check",
         "-w", str(tmp_path), os.path.join(REPO_DIR, "crm_industrial_stock")],
        check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = tmp_path.glob("odoo_addon_crm_industrial_stock-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
    assert "odoo/addons/crm_industrial_stock/__manifest__.py" in names
    assert "odoo/addons/crm_industrial_stock/i18n/zh_CN.po" in names
    assert "odoo/addons/crm_industrial_stock/security/ir.model.access.csv" in names
    assert "Name: odoo-addon-crm_industrial_stock" in metadata
    assert "Requires-Dist: odoo-addon-crm_industrial==18.0.*" in metadata
    assert "Requires-Dist: odoo==18.0.*" in metadata, "sale_stock comes with Odoo"


def test_crm_industrial_never_depends_on_the_inventory():
    import ast
    with open(os.path.join(REPO_DIR, "crm_industrial", "__manifest__.py"), encoding="utf-8") as manifest:
        depends = ast.literal_eval(manifest.read())["depends"]
    assert not {"stock", "sale_stock"} & set(depends)
    with open(os.path.join(REPO_DIR, "crm_industrial_stock", "__manifest__.py"), encoding="utf-8") as manifest:
        bridge = ast.literal_eval(manifest.read())
    assert bridge["auto_install"] is True
    assert set(bridge["depends"]) == {"crm_industrial", "sale_stock"}
