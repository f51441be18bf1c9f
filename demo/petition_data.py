"""The demo petitions, as data (their shape: ``demo.petition_specs``)."""

from __future__ import annotations

from complaints.models import Channel
from demo.common import MK
from demo.petition_specs import DemoPetition, Ground, Kind, Person, Step

# The five petitions of the Nậm Kim road cluster: same place, same sector, similar words.
_ROAD_SUMMARY = "Đề nghị trả lại đất sản xuất bị san lấp khi mở đường lên thủy điện Nậm Kim"
_ROAD = [
    "Gia đình tôi ở bản Nà Phát có 1.200 m2 đất sản xuất bị san lấp khi mở đường lên thủy điện "
    "Nậm Kim, đến nay chưa được đo đạc, xác định lại ranh giới và trả lại đất.",
    "Hộ tôi ở bản Nà Phát bị san lấp khoảng 800 m2 đất sản xuất khi làm đường lên thủy điện "
    "Nậm Kim; đề nghị xã đo đạc, xác định lại ranh giới và trả lại đất cho dân.",
    "Khi mở đường lên thủy điện Nậm Kim, đơn vị thi công san lấp đất sản xuất của gia đình tôi "
    "ở bản Nà Phát. Đề nghị đo đạc, xác định lại ranh giới, trả lại đất.",
    "Đất sản xuất của hộ tôi tại bản Nà Phát bị san lấp khi mở đường lên thủy điện Nậm Kim, "
    "không còn ranh giới. Đề nghị xã đo đạc lại và trả lại đất sản xuất.",
    "Đề nghị UBND xã đo đạc, xác định lại ranh giới và trả lại đất sản xuất của gia đình tôi ở "
    "bản Nà Phát bị san lấp khi mở đường lên thủy điện Nậm Kim.",
]
_ROAD_PEOPLE = [
    ("Lò Văn Khăm", "0900 110 001", 18),
    ("Lò Thị Ánh", "0900 110 002", 12),
    ("Tòng Văn Sơn", "0900 110 003", 8),
    ("Lường Văn Hoan", "0900 110 004", 3),
    ("Cà Thị Dung", "0900 110 005", 0),
]

TP = "ubnd-phuong-tan-phong"
BOARD = "ban-tiep-cong-dan-tinh"

DEMO_PETITIONS: list[DemoPetition] = [
    *(
        DemoPetition(
            key=f"road-{n}",
            place="xa-muong-kim",
            to=MK,
            kind=Kind.RECOMMENDATION,
            sector="dat-dai",
            summary=_ROAD_SUMMARY,
            content=_ROAD[n],
            address="Bản Nà Phát, xã Mường Kim",
            people=(Person(name, phone),),
            days_ago=days,
            recorded_by="tiepdan.muongkim" if days else "",
            channel=Channel.COUNTER if days else Channel.ONLINE,
            steps=steps,
        )
        for n, ((name, phone, days), steps) in enumerate(
            zip(
                _ROAD_PEOPLE,
                [
                    (
                        Step("process", "tiepdan.muongkim"),
                        Step("accept", "lanhdao.muongkim", 10, handler="xuly.muongkim"),
                    ),
                    (Step("process", "tiepdan.muongkim"),),
                    (Step("process", "xuly.muongkim"),),
                    (),
                    # Sent online: it counts towards the cluster once an officer has called
                    # the sender (complaints.detection), which completes the hotspot.
                    (
                        Step(
                            "contact",
                            "tiepdan.muongkim",
                            text="Đã gọi điện cho người gửi theo số đã ghi, xác nhận đúng người.",
                        ),
                    ),
                ],
                strict=True,
            )
        )
    ),
    DemoPetition(
        key="ta-mung-boundary",
        place="ta-mung-03638",
        to=MK,
        kind=Kind.RECOMMENDATION,
        sector="dat-dai",
        summary="Tranh chấp ranh giới đất nương với hộ liền kề",
        content="Tôi ở bản Tà Mung, xã Tà Mung (cũ). Hộ ông Vàng A Dế phát nương lấn sang "
        "khoảng 300 m2 đất đã được cấp giấy chứng nhận của gia đình tôi. Hòa giải ở bản không "
        "thành, đề nghị UBND xã giải quyết.",
        address="Bản Tà Mung, xã Tà Mung (cũ), nay là xã Mường Kim",
        people=(Person("Sùng Thị Mai", "0900 110 010"),),
        days_ago=25,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "lanhdao.muongkim", 20, handler="xuly.muongkim"),
            Step("verify", "xuly.muongkim"),
        ),
    ),
    DemoPetition(
        key="road-compensation-group",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.COMPLAINT,
        sector="boi-thuong-tai-dinh-cu",
        summary="Khiếu nại mức bồi thường nhà, đất khi mở rộng đường Mường Kim – Tà Mung",
        content="Bảy hộ dân bản Phiêng Cằm khiếu nại Quyết định số 215/QĐ-UBND phê duyệt "
        "phương án bồi thường: đơn giá nhà sàn gỗ và cây ăn quả thấp hơn thực tế, một số hộ "
        "chưa được tính diện tích bếp và chuồng trại.",
        address="Bản Phiêng Cằm, xã Mường Kim",
        people=(
            Person("Lò Văn Piêng", "0900 110 020", representative=True),
            Person("Điêu Thị Xuân", "0900 110 021", representative=True),
            Person("Lò Văn Ỏn"),
            Person("Tòng Thị Lả"),
            Person("Cầm Văn Hặc"),
            Person("Lường Thị Ún"),
            Person("Lò Văn Chiến"),
        ),
        group_size=7,
        complex=True,
        issuer=MK,
        decision="Quyết định số 215/QĐ-UBND phê duyệt phương án bồi thường, hỗ trợ",
        days_ago=56,
        recorded_by="tiepdan.muongkim",
        channel=Channel.RECEPTION_SESSION,
        steps=(
            Step("accept", "lanhdao.muongkim", 52, handler="xuly.muongkim"),
            Step("verify", "xuly.muongkim"),
        ),
    ),
    DemoPetition(
        key="first-complaint",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.COMPLAINT,
        sector="boi-thuong-tai-dinh-cu",
        summary="Khiếu nại quyết định hỗ trợ chuyển đổi nghề khi thu hồi đất ruộng",
        content="Tôi không đồng ý với Quyết định số 187/QĐ-UBND vì diện tích ruộng bị thu hồi "
        "để làm bãi tập kết vật liệu được tính thiếu 250 m2, nên tiền hỗ trợ chuyển đổi nghề "
        "thấp.",
        address="Bản Hua Ná, xã Mường Kim",
        people=(Person("Giàng A Páo", "0900 110 030"),),
        issuer=MK,
        decision="Quyết định số 187/QĐ-UBND về hỗ trợ chuyển đổi nghề",
        days_ago=80,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "lanhdao.muongkim", 76, handler="xuly.muongkim"),
            Step("verify", "xuly.muongkim"),
            Step(
                "conclude",
                "lanhdao.muongkim",
                35,
                text="Diện tích thu hồi đã được đo đạc lại và đúng với hồ sơ địa chính; giữ "
                "nguyên Quyết định số 187/QĐ-UBND.",
                number="342/QĐ-UBND",
            ),
            Step("close", "xuly.muongkim", text="Đã giao quyết định giải quyết cho công dân."),
        ),
    ),
    DemoPetition(
        key="second-complaint",
        place="xa-muong-kim",
        to="ubnd-tinh",
        kind=Kind.COMPLAINT,
        sector="boi-thuong-tai-dinh-cu",
        summary="Khiếu nại lần hai quyết định hỗ trợ chuyển đổi nghề",
        content="Không đồng ý với quyết định giải quyết khiếu nại lần đầu số 342/QĐ-UBND của "
        "Chủ tịch UBND xã Mường Kim, tôi đề nghị Chủ tịch UBND tỉnh giải quyết lần hai và cho "
        "đo đạc lại có mặt gia đình.",
        address="Bản Hua Ná, xã Mường Kim",
        people=(Person("Giàng A Páo", "0900 110 030"),),
        issuer=MK,
        decision="Quyết định số 187/QĐ-UBND về hỗ trợ chuyển đổi nghề",
        first_round="first-complaint",
        days_ago=14,
        recorded_by="lanhdao.tinh",
        channel=Channel.POST,
        steps=(Step("accept", "lanhdao.tinh", 10, handler="lanhdao.tinh"),),
    ),
    DemoPetition(
        key="denunciation",
        place="xa-muong-kim",
        to=BOARD,
        kind=Kind.DENUNCIATION,
        sector="tham-nhung",
        summary="Tố cáo công chức địa chính xã nhận tiền khi lập hồ sơ cấp giấy chứng nhận",
        content="Tôi tố cáo ông L.V.T., công chức địa chính – xây dựng xã Mường Kim, đã nhận "
        "của mỗi hộ từ 3 đến 5 triệu đồng để đo đạc, lập hồ sơ cấp giấy chứng nhận quyền sử "
        "dụng đất tại bản Nà Phát và bản Phiêng Cằm.",
        address="Xã Mường Kim",
        people=(Person("Hoàng Văn Thắng", "0900 110 040"),),
        denounced="Công chức địa chính – xây dựng xã Mường Kim",
        denounced_agency=MK,
        days_ago=20,
        recorded_by="tiepdan.tinh",
        channel=Channel.COUNTER,
        steps=(
            Step("process", "tiepdan.tinh"),
            Step(
                "transfer",
                "tiepdan.tinh",
                target=MK,
                text="Chuyển Chủ tịch UBND xã Mường Kim giải quyết theo thẩm quyền; giữ bí mật "
                "thông tin người tố cáo.",
            ),
            Step("accept", "lanhdao.muongkim", handler="xuly.muongkim"),
            Step("verify", "xuly.muongkim"),
            Step(
                "extend",
                "lanhdao.muongkim",
                text="Vụ việc phức tạp: phải xác minh tại nhiều hộ ở hai bản.",
            ),
        ),
    ),
    DemoPetition(
        key="elderly-allowance",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.RECOMMENDATION,
        sector="chinh-sach-xa-hoi",
        summary="Đề nghị xét trợ cấp xã hội hằng tháng cho người cao tuổi sống một mình",
        content="Mẹ tôi, bà Lò Thị Ón, 82 tuổi, sống một mình ở bản Hua Ná, không có lương hưu. "
        "Đề nghị xã lập hồ sơ để bà được hưởng trợ cấp xã hội hằng tháng.",
        address="Bản Hua Ná, xã Mường Kim",
        people=(Person("Lò Văn Tươi", "0900 110 050"),),
        days_ago=40,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "lanhdao.muongkim", 36, handler="xuly.muongkim"),
            Step(
                "conclude",
                "xuly.muongkim",
                20,
                text="Bà Lò Thị Ón đủ điều kiện; UBND xã đã lập hồ sơ, bà được hưởng trợ cấp "
                "xã hội hằng tháng từ tháng sau.",
            ),
            Step("close", "xuly.muongkim"),
        ),
    ),
    DemoPetition(
        key="slow-paperwork",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.FEEDBACK,
        sector="can-bo-cong-chuc",
        summary="Phản ánh hồ sơ đăng ký biến động đất đai quá hạn chưa có kết quả",
        content="Tôi nộp hồ sơ tách thửa tại bộ phận một cửa xã đã hơn hai tháng, quá hạn trên "
        "giấy hẹn nhưng chưa có kết quả, hỏi thì được trả lời chờ thêm.",
        address="Bản Mường Kim, xã Mường Kim",
        people=(Person("Tòng Thị Hoa", "0900 110 060"),),
        days_ago=30,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "lanhdao.muongkim", 28, handler="xuly.muongkim"),
            Step(
                "conclude",
                "lanhdao.muongkim",
                5,
                text="Phản ánh đúng. Đã trả kết quả tách thửa, xin lỗi công dân và kiểm điểm "
                "công chức để hồ sơ quá hạn.",
            ),
        ),
    ),
    DemoPetition(
        key="court-enforcement",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.COMPLAINT,
        sector="tu-phap-to-tung",
        summary="Khiếu nại việc chậm thi hành bản án tranh chấp đất",
        content="Bản án phúc thẩm đã tuyên buộc hộ ông C. trả lại 400 m2 đất cho gia đình tôi "
        "từ năm ngoái nhưng đến nay vẫn chưa được thi hành.",
        address="Bản Nà Phát, xã Mường Kim",
        people=(Person("Lò Văn Inh", "0900 110 070"),),
        steps=(
            Step(
                "guide",
                "tiepdan.muongkim",
                text="Việc thi hành bản án thuộc thẩm quyền của cơ quan thi hành án dân sự. "
                "Đề nghị ông gửi đơn đến Thi hành án dân sự tỉnh Lai Châu để được xem xét.",
            ),
        ),
    ),
    DemoPetition(
        key="anonymous",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.FEEDBACK,
        sector="can-bo-cong-chuc",
        summary="Đơn không ký tên phản ánh cán bộ bản uống rượu trong giờ làm việc",
        content="Trưởng bản thường xuyên uống rượu, không tổ chức họp bản theo kế hoạch.",
        address="Xã Mường Kim",
        anonymous=True,
        days_ago=9,
        recorded_by="tiepdan.muongkim",
        channel=Channel.POST,
        steps=(Step("file", "tiepdan.muongkim", ground=Ground.ANONYMOUS),),
    ),
    DemoPetition(
        key="shared-path",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.RECOMMENDATION,
        sector="tranh-chap-dan-su",
        summary="Tranh chấp lối đi chung giữa hai hộ",
        content="Hộ liền kề rào lối đi chung ra đường bản, gia đình tôi không có đường đi lại.",
        address="Bản Nà Phát, xã Mường Kim",
        people=(Person("Cầm Thị Nhung", "0900 110 080"),),
        days_ago=15,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(
            Step("process", "tiepdan.muongkim"),
            Step(
                "withdraw",
                "tiepdan.muongkim",
                text="Hai bên đã hòa giải thành tại Tổ hòa giải bản Nà Phát; công dân nộp đơn "
                "xin rút.",
            ),
        ),
    ),
    DemoPetition(
        key="leaking-school",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.RECOMMENDATION,
        sector="giao-duc",
        summary="Đề nghị sửa chữa phòng học điểm trường bị dột, nứt tường",
        content="Hai phòng học điểm trường bản Phiêng Cằm bị dột, tường nứt sau mưa lũ; học "
        "sinh lớp 1 và lớp 2 phải học nhờ nhà văn hóa bản.",
        address="Điểm trường bản Phiêng Cằm, xã Mường Kim",
        people=(Person("Lường Văn Dũng", "0900 110 090"),),
        days_ago=35,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
    ),
    DemoPetition(
        key="health-station",
        place="xa-muong-kim",
        to=MK,
        kind=Kind.FEEDBACK,
        sector="y-te",
        summary="Phản ánh trạm y tế xã thiếu thuốc điều trị tăng huyết áp",
        content="Trạm y tế xã nhiều tháng nay thiếu thuốc điều trị tăng huyết áp theo bảo hiểm "
        "y tế, người bệnh phải tự mua ngoài.",
        address="Trạm y tế xã Mường Kim",
        people=(Person("Điêu Văn Hùng", "0900 110 100"),),
        days_ago=28,
        recorded_by="tiepdan.muongkim",
        channel=Channel.COUNTER,
        steps=(Step("process", "tiepdan.muongkim"),),
    ),
    # Tân Phong ward (Lai Châu city before 2025).
    DemoPetition(
        key="sidewalk-building",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.FEEDBACK,
        sector="xay-dung",
        summary="Phản ánh công trình nhà ở lấn chiếm vỉa hè, đổ vật liệu ra đường",
        content="Công trình xây nhà ở tổ dân phố số 3 đổ cát, đá ra lòng đường và dựng giàn "
        "giáo trên vỉa hè nhiều tuần, gây mất an toàn cho học sinh.",
        address="Tổ dân phố số 3, phường Tân Phong",
        people=(Person("Nguyễn Thị Lan", "0900 120 001"),),
        days_ago=6,
        recorded_by="xuly.tanphong",
        channel=Channel.COUNTER,
        steps=(Step("accept", "xuly.tanphong", 4, handler="xuly.tanphong"),),
    ),
    DemoPetition(
        key="flooded-street",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.RECOMMENDATION,
        sector="giao-thong",
        summary="Đề nghị nạo vét rãnh thoát nước, mưa lớn nước tràn vào nhà dân",
        content="Rãnh thoát nước dọc đường tổ dân phố số 5 bị lấp đầy đất đá, mỗi trận mưa "
        "lớn nước tràn vào nhà dân. Đề nghị phường nạo vét rãnh thoát nước.",
        address="Tổ dân phố số 5, phường Tân Phong",
        people=(Person("Trần Văn Minh", "0900 120 002"),),
        days_ago=24,
        recorded_by="xuly.tanphong",
        channel=Channel.COUNTER,
        steps=(Step("process", "xuly.tanphong"),),
    ),
    DemoPetition(
        key="flooded-street-again",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.RECOMMENDATION,
        sector="giao-thong",
        summary="Đề nghị nạo vét rãnh thoát nước, mưa lớn nước tràn vào nhà dân",
        content="Rãnh thoát nước dọc đường tổ dân phố số 5 bị lấp đầy đất đá, mưa lớn nước "
        "tràn vào nhà dân. Tôi đề nghị lần nữa phường sớm nạo vét rãnh thoát nước.",
        address="Tổ dân phố số 5, phường Tân Phong",
        people=(Person("Trần Văn Minh", "0900 120 002"),),
        days_ago=3,
        recorded_by="xuly.tanphong",
        channel=Channel.COUNTER,
        steps=(Step("duplicate", "xuly.tanphong", original="flooded-street"),),
    ),
    DemoPetition(
        key="electricity-support",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.RECOMMENDATION,
        sector="chinh-sach-xa-hoi",
        summary="Đề nghị xét hỗ trợ tiền điện cho hộ nghèo",
        content="Gia đình tôi là hộ nghèo năm nay nhưng chưa được nhận hỗ trợ tiền điện như "
        "các hộ khác trong tổ.",
        address="Tổ dân phố số 7, phường Tân Phong",
        people=(Person("Phạm Thị Hương", "0900 120 003"),),
        days_ago=30,
        recorded_by="xuly.tanphong",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "xuly.tanphong", 29, handler="xuly.tanphong"),
            Step(
                "conclude",
                "xuly.tanphong",
                10,
                text="Gia đình bà có tên trong danh sách hộ nghèo; tiền hỗ trợ điện được chi trả "
                "bổ sung cùng kỳ tháng này.",
            ),
            Step("close", "xuly.tanphong"),
        ),
    ),
    DemoPetition(
        key="boarding-class",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.RECOMMENDATION,
        sector="giao-duc",
        summary="Đề nghị bố trí thêm lớp bán trú tại trường tiểu học",
        content="Trường tiểu học trên địa bàn chỉ nhận bán trú hai lớp, nhiều phụ huynh đi làm "
        "xa không đón con buổi trưa được. Đề nghị bố trí thêm lớp bán trú.",
        address="Tổ dân phố số 2, phường Tân Phong",
        people=(Person("Đèo Thị Thu", "0900 120 004"),),
        days_ago=14,
        recorded_by="xuly.tanphong",
        channel=Channel.COUNTER,
        steps=(
            Step("accept", "xuly.tanphong", 12, handler="xuly.tanphong"),
            Step("verify", "xuly.tanphong"),
        ),
    ),
    DemoPetition(
        key="fruit-trees",
        place="phuong-tan-phong",
        to=TP,
        kind=Kind.COMPLAINT,
        sector="boi-thuong-tai-dinh-cu",
        summary="Khiếu nại đơn giá bồi thường cây ăn quả khi thu hồi đất làm đường nội thị",
        content="Quyết định thu hồi đất làm đường nội thị áp đơn giá bồi thường 45 cây nhãn và "
        "xoài đang cho quả như cây mới trồng. Đề nghị kiểm đếm và tính lại.",
        address="Tổ dân phố số 8, phường Tân Phong",
        people=(Person("Lý A Chảo", "0900 120 005"),),
        issuer=TP,
        decision="Quyết định số 96/QĐ-UBND về thu hồi đất và bồi thường",
    ),
    # Addressed to provincial bodies.
    DemoPetition(
        key="quarry-pollution",
        place="xa-ban-bo",
        to=BOARD,
        kind=Kind.FEEDBACK,
        sector="moi-truong",
        summary="Phản ánh mỏ đá nổ mìn làm nứt nhà, bụi phủ ruộng lúa",
        content="Mỏ khai thác đá gần bản Nà Đon nổ mìn hằng ngày làm nứt tường nhiều nhà, bụi "
        "phủ ruộng lúa, xe chở đá quá tải làm hỏng đường liên bản.",
        address="Bản Nà Đon, xã Bản Bo",
        people=(Person("Phàn Thị Sử", "0900 130 001"),),
        days_ago=16,
        recorded_by="tiepdan.tinh",
        channel=Channel.COUNTER,
        steps=(
            Step(
                "transfer",
                "tiepdan.tinh",
                target="so-nong-nghiep-moi-truong",
                text="Đề nghị Sở chủ trì kiểm tra việc khai thác và bảo vệ môi trường của mỏ.",
            ),
            Step("process", "xuly.nnmt"),
            Step("accept", "xuly.nnmt", handler="xuly.nnmt"),
            Step("verify", "xuly.nnmt"),
        ),
    ),
    DemoPetition(
        key="forest-land",
        place="xa-than-uyen",
        to=BOARD,
        kind=Kind.RECOMMENDATION,
        sector="dat-dai",
        summary="Đề nghị giao đất rừng sản xuất cho các hộ chưa có đất",
        content="Mười hai hộ trẻ mới tách hộ ở bản Mì chưa có đất sản xuất. Đề nghị giao đất "
        "rừng sản xuất đang do xã quản lý để trồng quế.",
        address="Bản Mì, xã Than Uyên",
        people=(Person("Lò Văn Thành", "0900 130 002"),),
    ),
    DemoPetition(
        key="one-stop-shop",
        place="xa-tan-uyen",
        to="thanh-tra-tinh",
        kind=Kind.FEEDBACK,
        sector="can-bo-cong-chuc",
        summary="Phản ánh cán bộ bộ phận một cửa gây phiền hà khi chứng thực giấy tờ",
        content="Cán bộ bộ phận một cửa xã Tân Uyên yêu cầu nộp thêm giấy tờ không có trong "
        "quy định và hẹn nhiều lần khi tôi xin chứng thực hợp đồng.",
        address="Xã Tân Uyên",
        people=(Person("Hoàng Thị Yến", "0900 130 003"),),
        days_ago=22,
        recorded_by="xuly.thanhtra",
        channel=Channel.POST,
        steps=(Step("process", "xuly.thanhtra"),),
    ),
    DemoPetition(
        key="province-land-recovery",
        place="xa-binh-lu",
        to="ubnd-tinh",
        kind=Kind.COMPLAINT,
        sector="dat-dai",
        summary="Khiếu nại quyết định thu hồi đất làm khu tái định cư",
        content="Tôi khiếu nại quyết định của UBND tỉnh thu hồi 2.000 m2 đất trồng chè của gia "
        "đình để làm khu tái định cư vì chưa được thông báo và đối thoại trước khi thu hồi.",
        address="Bản Phiêng Tòng, xã Bình Lư",
        people=(Person("Tẩn Láo Lở", "0900 130 004"),),
        issuer="ubnd-tinh",
        decision="Quyết định thu hồi đất làm khu tái định cư",
        steps=(Step("process", "lanhdao.tinh"),),
    ),
    DemoPetition(
        key="unpaid-loan",
        place="xa-sin-ho",
        to=BOARD,
        kind=Kind.FEEDBACK,
        sector="tranh-chap-dan-su",
        summary="Đề nghị can thiệp việc vay tiền không trả",
        content="Người cùng bản vay của tôi 30 triệu đồng từ hai năm trước, có giấy viết tay, "
        "nay không chịu trả.",
        address="Xã Sìn Hồ",
        people=(Person("Vàng Thị Dua", "0900 130 005"),),
        steps=(
            Step(
                "guide",
                "tiepdan.tinh",
                text="Đây là tranh chấp dân sự giữa công dân. Đề nghị bà đề nghị Tổ hòa giải "
                "bản hòa giải; nếu không thành, khởi kiện tại Tòa án nhân dân khu vực.",
            ),
        ),
    ),
]
