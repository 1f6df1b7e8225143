"""Chinese text for ``server.*``: the school server's connection settings and test."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("server.",)

MESSAGES: Final[dict[str, str]] = {
    "server.field_missing": "没有填写{fields}。请填写学校服务器的主机、数据库和用户名（问学校的信息中心要）。",
    "server.password_empty": "--password-stdin 读到的是空行，没有密码。请把密码作为一行送到标准输入，例如：echo 密码 | examsite-cli server set … --password-stdin（或在窗口的“连接到学校服务器”中填写）。",
    "server.bad_port": "端口 {port} 不对：端口是 1 到 65535 之间的数字，PostgreSQL 默认是 5432。",
    "server.bad_tls": "没有“{tls}”这种加密方式，可用：{choices}。",
    "server.bad_host": "主机“{host}”不对：只填服务器的名字或 IP 地址（如 192.168.1.10），不要带 / @ 或空格。",
    "server.settings_unreadable": "学校服务器的连接设置文件 {file} 已损坏，无法读取。请重新设置（examsite-cli server set … 或窗口“文件”菜单的“连接到学校服务器”）。",
    "server.not_set": "还没有设置学校服务器。请先用 examsite-cli server set … 或窗口“文件”菜单的“连接到学校服务器”填写连接设置。",
    "server.no_password": "系统凭据管理器里没有 {server} 的密码。请重新设置并输入密码（examsite-cli server set … --password-stdin，或在窗口中填写密码后保存）。",
    "server.no_keyring": "无法使用系统的凭据管理器保存或读取密码（{reason}）。考点助手不把密码写进文件；请在有凭据管理器的电脑（Windows）上设置，或改用本机数据库。",
    "server.connected": "已连接到学校服务器 {server}（PostgreSQL {version}，{tls}）。",
    "server.unknown_host": "找不到服务器“{host}”。请检查主机名或 IP 地址是否写错，以及这台电脑是否接入了学校的局域网。",
    "server.unreachable": "连不上服务器 {host}:{port}（等待超时）。请检查网线或无线网络、服务器是否开机，以及防火墙是否放行了端口 {port}。",
    "server.refused": "服务器 {host} 拒绝了端口 {port} 上的连接：那里没有运行 PostgreSQL，或它没有监听局域网。请检查端口是否正确，并请信息中心检查 postgresql.conf 中的 listen_addresses。",
    "server.wrong_password": "用户名或密码不对（用户 {user}）。请重新输入密码；忘记密码请找信息中心重设。",
    "server.database_missing": "服务器上没有名为“{database}”的数据库。请检查数据库名是否写错，或请信息中心先创建它（见 README 的“给信息中心”一节）。",
    "server.not_allowed": "服务器不允许这台电脑以用户 {user} 连接数据库“{database}”。请信息中心在 pg_hba.conf 中为学校局域网添加一行（见 README）。",
    "server.tls_required": "服务器只接受加密连接。请把“加密”改为“服务器支持时加密”或“必须加密”后再试。",
    "server.tls_unavailable": "服务器不支持加密连接，而设置要求“必须加密”。请改为“服务器支持时加密”，或请信息中心为服务器开启 SSL。",
    "server.too_old": "服务器上的 PostgreSQL 版本是 {version}，太旧了：考点助手需要 {least} 或更新的版本。请信息中心升级 PostgreSQL。",
    "server.failed": "无法连接到服务器 {host}:{port}：{reason}。请检查连接设置后重试；如果反复出现，请把这段话发给信息中心。",
}
